"""The DCAT-AP catalogue of the open data, as JSON-LD, for the national open data portal to harvest.

One dcat:Catalog; a dcat:Dataset per dataset with its title and description in Georgian and
English (language-tagged literals), keywords, publisher, licence and landing page; a
dcat:Distribution per format (the API's download address, its media type and licence), and one per
file of the newest nightly dump with its size and SHA-256 checksum (spdx:checksum).
"""

from django.conf import settings
from django.urls import reverse

from opendata import export
from opendata.actions import list_dumps
from opendata.dictionary import datasets

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
IANA = "https://www.iana.org/assignments/media-types/"
FORMAT_NAMES = {"csv": "CSV", "geojson": "GeoJSON", "gpkg": "GeoPackage"}
PUBLISHER = {
    "@type": "foaf:Agent",
    "foaf:name": [{"@value": "თბილისის მერია", "@language": "ka"}, {"@value": "Tbilisi City Hall", "@language": "en"}],
}


def both(ka: str, en: str) -> list[dict]:
    return [{"@value": ka, "@language": "ka"}, {"@value": en, "@language": "en"}]


def catalogue() -> dict:
    site = settings.SITE_URL
    licence = {"@id": settings.OPEN_DATA_LICENCE_URL}
    newest = (list_dumps(site) or [None])[0]
    return {
        "@context": CONTEXT,
        "@id": site + reverse("opendata-catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": both("თბილისის ჭკვიანი რუკა: ღია მონაცემები", "Smart Map Tbilisi: open data"),
        "dct:description": both(
            "ნებართვები, პროექტები, მცხოვრებთა შეტყობინებები და მათი ისტორია, რუკიდან.",
            "Permits, projects, residents' reports and their history, from the map.",
        ),
        "dct:publisher": PUBLISHER,
        "dct:license": licence,
        "dct:language": [
            {"@id": "http://publications.europa.eu/resource/authority/language/KAT"},
            {"@id": "http://publications.europa.eu/resource/authority/language/ENG"},
        ],  # fmt: skip
        "foaf:homepage": {"@id": site + "/ka/opendata/"},
        "dcat:dataset": [_dataset(d, site, licence, newest) for d in datasets().values()],
    }


def _dataset(dataset, site, licence, newest) -> dict:
    base = site + "/api/v1/opendata/"
    distributions = [
        {
            "@type": "dcat:Distribution",
            "dct:title": both(f"{dataset.title_ka} ({FORMAT_NAMES[fmt]})", f"{dataset.title_en} ({FORMAT_NAMES[fmt]})"),
            "dcat:accessURL": {"@id": f"{base}{dataset.slug}.{fmt}"},
            "dcat:downloadURL": {"@id": f"{base}{dataset.slug}.{fmt}"},
            "dcat:mediaType": {"@id": IANA + export.FORMATS[fmt].split(";")[0]},
            "dct:format": FORMAT_NAMES[fmt],
            "dct:license": licence,
        }
        for fmt in export.FORMATS
    ]
    for entry in (newest or {}).get("files", []):
        if entry["dataset"] == dataset.slug:
            distributions.append(_dumped(dataset, entry, newest, licence))
    return {
        "@id": f"{site}/api/v1/opendata/{dataset.slug}/",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": both(dataset.title_ka, dataset.title_en),
        "dct:description": both(dataset.description_ka, dataset.description_en),
        "dcat:keyword": list(dataset.keywords),
        "dct:publisher": PUBLISHER,
        "dct:license": licence,
        "dct:spatial": {"@id": "https://www.geonames.org/611717"},  # Tbilisi
        "dcat:landingPage": {"@id": site + "/ka/opendata/#" + dataset.slug},
        "foaf:page": {"@id": f"{base}{dataset.slug}/dictionary/"},
        "dcat:distribution": distributions,
    }


def _dumped(dataset, entry, run, licence) -> dict:
    return {
        "@type": "dcat:Distribution",
        "dct:title": both(
            f"{dataset.title_ka}: ღამის სრული ასლი ({entry['format']})",
            f"{dataset.title_en}: nightly full dump ({entry['format']})",
        ),  # fmt: skip
        "dcat:downloadURL": {"@id": entry["url"]},
        "dcat:accessURL": {"@id": entry["url"]},
        "dcat:mediaType": {"@id": IANA + entry["media_type"]},
        "dct:format": FORMAT_NAMES[entry["format"]],
        "dct:license": licence,
        "dct:issued": {"@value": run["date"], "@type": "xsd:dateTime"},
        "dcat:byteSize": {"@value": str(entry["bytes"]), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
            "spdx:checksumValue": entry["sha256"],
        },
    }
