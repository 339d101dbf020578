"""Fix-Tbilisi over Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2), at /open311/v2/.

Every resource answers in both of the spec's formats, chosen by the suffix (.xml or .json), in
UTF-8, and every failure answers the spec's error list with the HTTP status as its code. Texts
(service names, questions, error descriptions) follow `locale` when given, else Accept-Language.

Posting goes through the same parse_report() as the web and phone forms, so its rules (rate
limits, photo checks, inside Tbilisi) hold here too; `source` records the client's key name. A
trusted key's report is public at once and the answer carries its service_request_id (the
report's reference, "TB-000123"). Any other key's report waits for its reporter, who gets the
site's confirmation email; the client gets a token (the spec's "batch" type) and later reads the
service_request_id from tokens/{token} once the report is public. So the service list says
"realtime" only to a caller that shows a trusted key, and "batch" to everyone else.

Two deliberate refusals:
- `media_url` is refused with a 400: a link to a picture elsewhere would skip the photo checks and
  the metadata stripping every photo gets. Clients upload the picture as the multipart `media`.
- A location is required: `address_string` alone cannot be checked against the city boundary.

Anonymity: Open311 has no "show my name" flag, so first_name/last_name are kept for staff only and
no reporter name or email is ever part of any answer here. Only public reports (confirmed, not
hidden, not withdrawn) are listed, and the `extensions=true` notes are public timeline entries only.
"""
