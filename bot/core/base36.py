"""The base-36 alphabet, written once: callback fields, movement-check answers, fingerprints."""

BASE36_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
