from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and departments")

    def ready(self):
        from accounts.sections import ProfileSection, register

        # The account itself: address change, the data download and deletion, last on "My Smart Map".
        register(ProfileSection("account", 90, "accounts/_profile_account.html", lambda request: {}))
