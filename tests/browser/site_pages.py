"""Every page of the portal, for the browser tests that walk them all.

Layout at every width, axe-core, scripts that must not appear in Georgian and screenshots all read
PAGES, so a page added to the portal is checked everywhere by adding one line here: a Page with a
name, its path without the language prefix (a string, or a function of the SiteContent for pages
of one object), who looks at it (None: anyone; "resident" or "staff": signed in), and a selector
that is there once the page is ready.

`site_content` (a fixture of conftest.py) builds what those pages need once per test: demo permits, tree permits and projects
through the real import core, a confirmed report with a photo, a staff member of the service it is
routed to, and a resident with a subscription.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.gis.geos import Point

from accounts.tokens import make_token
from fixtracker.actions.submitting import NewReport, do_submit_report
from fixtracker.models import Category, Report, Supporter
from fixtracker.notifications import CONFIRM_SUPPORT
from fixtracker.tasks import process_report_photos
from layers.demo import load_demo
from layers.models import ConstructionPermit, InfrastructureProject, TreePermit
from subscriptions.emails import MANAGE
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory
from tests.fixtracker.conftest import jpeg_bytes, upload
from tests.subscriptions.conftest import make_subscription

PASSWORD = "correct horse battery staple"


@dataclass
class SiteContent:
    permit: ConstructionPermit
    tree_permit: TreePermit
    project: InfrastructureProject
    report: Report
    manage_token: str
    support_token: str
    resident_email: str = "nino@example.ge"
    staff_email: str = "giorgi@tbilservice.ge"


@dataclass(frozen=True)
class Page:
    name: str
    path: str | Callable[[SiteContent], str]
    who: str | None = None
    ready: str = "main"

    def url(self, content: SiteContent, lang: str) -> str:
        path = self.path(content) if callable(self.path) else self.path
        return f"/{lang}{path}"


PAGES = [
    Page("map", "/", ready="#map[data-districts-loaded='10']"),
    Page("report-form", "/report/", ready=".leaflet-container"),
    Page("subscribe", "/subscribe/", ready=".leaflet-container"),
    Page("projects", "/projects/"),
    Page("permits", "/layers/construction-permits/"),
    Page("tree-permits", "/layers/tree-permits/"),
    Page("reports", "/layers/reports/"),
    Page("permit", lambda c: f"/layers/construction-permits/{c.permit.pk}/", ready=".leaflet-container"),
    Page("tree-permit", lambda c: f"/layers/tree-permits/{c.tree_permit.pk}/", ready=".leaflet-container"),
    Page("project", lambda c: f"/projects/{c.project.slug}/", ready=".leaflet-container"),
    Page("report", lambda c: f"/reports/{c.report.reference}/"),
    Page("manage-subscription", lambda c: f"/subscriptions/manage/{c.manage_token}/"),
    Page("confirm-support", lambda c: f"/reports/support/confirm/{c.support_token}/"),
    Page("forum", "/forum/"),
    Page("statistics", "/statistics/"),
    Page("opendata", "/opendata/"),
    Page("login", "/accounts/login/"),
    Page("signup", "/accounts/signup/"),
    Page("password-reset", "/accounts/password/reset/"),
    Page("not-found", "/no-such-page/"),
    Page("profile", "/profile/", who="resident"),
    Page("staff-queue", "/staff/", who="staff"),
    Page("staff-report", lambda c: f"/staff/reports/{c.report.reference}/", who="staff"),
]


def build_site_content() -> SiteContent:
    load_demo("construction-permits", 12, seed=3)
    load_demo("tree-permits", 6, seed=3)
    load_demo("projects", 4, seed=3)
    department = DepartmentFactory(slug="tbilservice")
    MembershipFactory(user=UserFactory(email="giorgi@tbilservice.ge", verified=True), department=department)
    resident = UserFactory(email="nino@example.ge", display_name="ნინო", verified=True)
    report, _ = do_submit_report(
        NewReport(
            category=Category.objects.get(slug="lamp-out"),
            point=Point(44.7560, 41.7105, srid=4326),
            description="ჭავჭავაძის გამზირზე ნათურა არ ანათებს",
            email=resident.email,
            photos=[(upload(jpeg_bytes((800, 600))), "image/jpeg", None)],
        ),
        user=resident,
        confirmed=True,
    )
    process_report_photos(report.pk)
    subscription = make_subscription(user=resident, email=resident.email, topics=("construction", "trees"))
    return SiteContent(
        permit=ConstructionPermit.objects.public().order_by("pk").first(),
        tree_permit=TreePermit.objects.public().order_by("pk").first(),
        project=InfrastructureProject.objects.public().order_by("pk").first(),
        report=report,
        manage_token=make_token(MANAGE, subscription.pk),
        support_token=make_token(CONFIRM_SUPPORT, Supporter.objects.create(report=report, email="lado@example.ge").pk),
    )


def log_in(page, base_url: str, email: str, lang: str = "en"):
    page.goto(f"{base_url}/{lang}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/{lang}/")


def open_as(open_context, live, content: SiteContent, who: str | None, **options):
    """A page (tab) signed in as `who`, in a context of its own."""
    page = open_context(**options).new_page()
    if who:
        log_in(page, live.url, content.resident_email if who == "resident" else content.staff_email)
    return page
