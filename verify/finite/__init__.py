"""Finite mechanisms and information structures as linear programs (002: Theorems 1-2)."""
