"""The shipped pipeline, installed as package data of `pressdeals` (see `pressdeals.paths`)."""
