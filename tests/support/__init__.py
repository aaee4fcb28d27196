"""Test support shared by every area: real `espresso serve` processes and their configs."""
