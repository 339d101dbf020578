from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"
    verbose_name = _("Area subscriptions")

    def ready(self):
        from layers.events import events_recorded
        from subscriptions.matching import on_events_recorded

        # The event spine's fan-out in this app: every recorded event is matched against the
        # subscriptions in the same transaction, so the delivery ledger rolls back with the change.
        events_recorded.connect(on_events_recorded, dispatch_uid="subscriptions.match")

        from allauth.account.signals import email_changed

        from subscriptions.profile import follow_email_change, register_sections

        register_sections()
        # A confirmed new address: the person's subscriptions write to it from now on.
        email_changed.connect(follow_email_change, dispatch_uid="subscriptions.email_changed")
