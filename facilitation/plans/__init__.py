"""Workshop plans: the YAML format (``docs/plan-format.md``), its loader and the library."""

# The lower layers first: an activity type imported while the loader is (the registry it
# reads) finds the model and the reader's names here already.
from .model import Activity, Item, Plan, Scale, Scenario, Stage
from .reader import PlanError, PlanInvalid

# isort: split
from .loader import load_plan, parse_plan

__all__ = [
    "Activity",
    "Item",
    "Plan",
    "PlanError",
    "PlanInvalid",
    "Scale",
    "Scenario",
    "Stage",
    "load_plan",
    "parse_plan",
]
