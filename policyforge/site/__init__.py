"""The engine-agnostic site build: page generators, feeds, data files, headers, assets, atomic swap."""
