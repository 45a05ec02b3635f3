"""Stacks: several assets shown as one tile under a cover (RAW+JPEG pairs, bursts, live photos,
kept duplicates, stacks made by hand). `services` keeps the model consistent, `auto` finds the
automatic stacks after the metadata stage, `stage` is that pipeline step, `develop` turns a RAW
into a JPEG for downloads."""
