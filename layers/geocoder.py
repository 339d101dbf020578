"""An outside geocoder for the search box, only when configured.

The gazetteer answers offline; a deployment may add a Nominatim-compatible service
(SEARCH_GEOCODER_URL, e.g. a city-run Nominatim's /search) for addresses the gazetteer does not
know. Its answers are asked for only when local results leave room, bounded to Tbilisi, cached
for a day, and an outside failure or slowness never breaks search: it just adds nothing.
"""

import json
import logging
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

log = logging.getLogger(__name__)
TBILISI_VIEWBOX = "44.60,41.85,45.05,41.60"  # west, north, east, south


def geocode(q: str, limit: int) -> list[dict]:
    url = settings.SEARCH_GEOCODER_URL
    if not url or limit <= 0:
        return []
    language = get_language() or "ka"
    key = f"geocoder:{language}:{limit}:{q.lower()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    params = urlencode(
        {
            "q": q,
            "format": "jsonv2",
            "limit": limit,
            "viewbox": TBILISI_VIEWBOX,
            "bounded": 1,
            "accept-language": language,
        }
    )
    request = Request(f"{url}?{params}", headers={"User-Agent": "SmartMapTbilisi/1.0"})
    try:
        with urlopen(request, timeout=settings.SEARCH_GEOCODER_TIMEOUT) as response:  # noqa: S310 (configured URL)
            found = json.load(response)
    except (OSError, ValueError) as exc:
        log.warning("geocoder unavailable: %s", exc)
        return []
    results = [_result(item) for item in found if isinstance(item, dict) and "lat" in item and "lon" in item]
    cache.set(key, results, 24 * 3600)
    return results


def _result(item: dict) -> dict:
    parts = [p.strip() for p in str(item.get("display_name", "")).split(",") if p.strip()]
    return {
        "type": "place",
        "label": parts[0] if parts else str(item.get("name", "")),
        "sublabel": ", ".join(parts[1:3]),
        "lon": float(item["lon"]),
        "lat": float(item["lat"]),
        "source": "geocoder",
    }
