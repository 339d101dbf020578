"""Request helpers shared by the apps."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's address. Behind NUM_PROXIES trusted proxies, the address the outermost one saw.

    X-Forwarded-For is only read as far as our own proxies wrote it: anything further left was
    supplied by the client and can be forged.
    """
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
