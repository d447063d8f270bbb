"""Use cases that join the pure core with the store, one transaction each."""
