"""Bounding programs (18)-(19) of the survey on grids X(k^2)."""
