"""Near-duplicate grouping over 64-bit pHashes without comparing all pairs.

A BK-tree over the distinct hashes answers "every hash within t bits" by visiting only the
branches the triangle inequality allows; linked pairs are joined with union-find into groups.
"""

from collections.abc import Iterable


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & 0xFFFFFFFFFFFFFFFF).bit_count()


class BKTree:
    """Metric tree for Hamming distance; each node is [hash, {distance: child}]."""

    def __init__(self):
        self.root = None

    def add(self, value: int) -> None:
        if self.root is None:
            self.root = [value, {}]
            return
        node = self.root
        while True:
            distance = hamming(value, node[0])
            if distance == 0:
                return
            child = node[1].get(distance)
            if child is None:
                node[1][distance] = [value, {}]
                return
            node = child

    def within(self, value: int, threshold: int) -> list[int]:
        found, pending = [], [self.root] if self.root else []
        while pending:
            node = pending.pop()
            distance = hamming(value, node[0])
            if distance <= threshold:
                found.append(node[0])
            for edge, child in node[1].items():
                if distance - threshold <= edge <= distance + threshold:
                    pending.append(child)
        return found


class UnionFind:
    def __init__(self):
        self.parent = {}

    def find(self, item):
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression keeps later finds short
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a, b) -> None:
        self.parent[self.find(a)] = self.find(b)

    def components(self) -> list[list]:
        groups: dict = {}
        for item in self.parent:
            groups.setdefault(self.find(item), []).append(item)
        return list(groups.values())


def near_components(hashes: Iterable[int], threshold: int) -> list[list[int]]:
    """Every distinct hash in a set with those linked to it by chains of pairs <= `threshold` bits apart.

    Singletons are returned too: several files may share one hash.
    """
    distinct = list(dict.fromkeys(hashes))
    tree, links = BKTree(), UnionFind()
    for value in distinct:
        tree.add(value)
    for value in distinct:
        links.find(value)
        for neighbour in tree.within(value, threshold):
            if neighbour != value:
                links.union(value, neighbour)
    return links.components()


def near_pairs(hashes: Iterable[int], threshold: int):
    """(a, b, bits) for each pair of distinct hashes at most `threshold` bits apart, each pair once."""
    distinct = list(dict.fromkeys(hashes))
    tree = BKTree()
    for value in distinct:
        tree.add(value)
    for value in distinct:
        for neighbour in tree.within(value, threshold):
            if neighbour > value:
                yield value, neighbour, hamming(value, neighbour)
