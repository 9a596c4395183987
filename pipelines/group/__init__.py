"""The group's review pack (SPEC §13), read from the group warehouse only: the group
scorecard, the plants side by side, the group's Pareto of causes and each plant's top causes.
"""
