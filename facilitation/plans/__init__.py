"""Workshop plans: the YAML format (``docs/plan-format.md``), its loader and the library."""

from .loader import PlanError, PlanInvalid, load_plan, parse_plan
from .model import Activity, Item, Plan, Scale, Scenario, Stage

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
