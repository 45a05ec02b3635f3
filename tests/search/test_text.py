from apps.search.text import document_text, fold, prefix_tsquery, words


def test_fold_removes_accents_and_case():
    assert fold("Zürich Ångström ÉTÉ Straße") == "zurich angstrom ete strasse"


def test_file_names_split_on_separators_and_between_letters_and_digits():
    assert words("IMG_4120.JPG") == ["img", "4120", "jpg"]
    assert words("holiday-2019_beach.v2") == ["holiday", "2019", "beach", "v", "2"]
    assert document_text("DSC01234.NEF", "2024/Côte d'Azur") == "dsc 01234 nef 2024 cote d azur"


def test_query_is_prefix_and_of_unique_words():
    assert prefix_tsquery("Zür 41 zür") == "'zur':* & '41':*"
    assert prefix_tsquery("  ---  ") == ""


def test_query_cannot_inject_tsquery_syntax():
    assert prefix_tsquery("a' | !b:*") == "'a':* & 'b':*"
