from fixtracker.models.categories import Category, CategoryRoute, DecreeDay, ResponseTemplate
from fixtracker.models.keys_and_blocks import Block, Open311Key
from fixtracker.models.reports import Report, ReportPhoto, ReportUpdate, Supporter

__all__ = [
    "Block",
    "Category",
    "CategoryRoute",
    "DecreeDay",
    "Open311Key",
    "Report",
    "ReportPhoto",
    "ReportUpdate",
    "ResponseTemplate",
    "Supporter",
]
