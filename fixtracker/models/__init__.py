from fixtracker.models.access import Block, Open311Key
from fixtracker.models.catalog import Category, CategoryRoute, DecreeDay, ResponseTemplate
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
