"""Photos: 25+ bad uploads refused with a clear message and nothing stored; good ones cleaned."""

import io
import zipfile

import pytest
from PIL import Image

from fixtracker.models import Report, ReportPhoto
from fixtracker.photos import PhotoError, check_upload, make_public
from tests.fixtracker.conftest import jpeg_bytes, upload

URL = "/api/v1/reports/"


def _png(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def _webp(size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(buffer, "WEBP")
    return buffer.getvalue()


def _gif():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    return buffer.getvalue()


def _animated_webp():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), c) for c in ((255, 0, 0), (0, 255, 0))]
    frames[0].save(buffer, "WEBP", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def _bomb():
    # A tiny PNG that claims 30000 x 30000 pixels: decompression bomb.
    buffer = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buffer, "PNG")
    return buffer.getvalue()


def _zip_polyglot():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.js", "alert(1)")
    return jpeg_bytes() + buffer.getvalue()


BAD = {
    "empty": b"",
    "text": b"this is not a photo at all",
    "html": b"<html><script>alert(1)</script></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    "gif": _gif(),
    "bmp": b"BM" + b"\x00" * 60,
    "tiff": b"II*\x00" + b"\x00" * 60,
    "zip": b"PK\x03\x04" + b"\x00" * 60,
    "exe": b"MZ\x90\x00" + b"\x00" * 60,
    "php": b"<?php system($_GET['c']); ?>",
    "jpeg-magic-only": b"\xff\xd8\xff\xe0" + b"\x00" * 30,
    "png-magic-only": b"\x89PNG\r\n\x1a\n" + b"\x00" * 30,
    "webp-magic-only": b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 20,
    "truncated-jpeg": jpeg_bytes((400, 300))[:700],
    "truncated-png": _png((300, 300))[:120],
    "truncated-webp": _webp((300, 300))[:60],
    "jpeg-then-zip": _zip_polyglot(),
    "jpeg-then-html": jpeg_bytes() + b"<html><script>alert(1)</script></html>",
    "jpeg-with-script-comment": jpeg_bytes(comment=b"<script>alert(1)</script>"),
    "png-then-php": _png() + b"<?php echo 1; ?>",
    "webp-then-junk": _webp() + b"<html>hi</html>",
    "animated-webp": _animated_webp(),
    "bomb": _bomb(),
    "huge-file": jpeg_bytes() + b"\x00" * (16 * 1024 * 1024),
    "too-many-pixels": jpeg_bytes((12_500, 10)),
    "png-named-jpeg": None,  # filled below: a PNG that says it is a JPEG is fine by content…
}
BAD.pop("png-named-jpeg")


@pytest.mark.parametrize("name", sorted(BAD))
def test_it_refuses_a_bad_upload_with_a_reason(name):
    with pytest.raises(PhotoError) as error:
        check_upload(upload(BAD[name], name=f"{name}.jpg"))
    assert str(error.value)


@pytest.mark.parametrize("name", ["text", "jpeg-then-zip", "bomb", "truncated-jpeg", "huge-file", "svg"])
def test_the_api_refuses_it_and_stores_nothing(client, db, lamp_out, name):
    response = client.post(
        URL,
        {
            "category": "lamp-out",
            "lon": "44.756",
            "lat": "41.7105",
            "description": "ნათურა",
            "email": "nino@example.ge",
            "photos": [upload(BAD[name], name=f"{name}.jpg")],
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["photos"][0].startswith(f"{name}.jpg: ")
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0


def test_it_names_the_problem_in_georgian(client, db, lamp_out):
    response = client.post(
        URL,
        {
            "category": "lamp-out",
            "lon": "44.756",
            "lat": "41.7105",
            "email": "n@example.ge",
            "photos": [upload(BAD["gif"], name="x.gif")],
        },
        HTTP_ACCEPT_LANGUAGE="ka",
    )
    assert response.status_code == 400
    assert any("\u10d0" <= ch <= "\u10ff" for ch in response.json()["errors"]["photos"][0])


@pytest.mark.parametrize("data, kind", [(jpeg_bytes(), "image/jpeg"), (_png(), "image/png"), (_webp(), "image/webp")])
def test_it_accepts_real_jpeg_png_and_webp(data, kind):
    assert check_upload(upload(data)).content_type == kind


def test_it_reads_the_gps_position_from_the_original():
    checked = check_upload(upload(jpeg_bytes(gps=(41.7105, 44.7560))))
    assert abs(checked.gps.y - 41.7105) < 1e-4 and abs(checked.gps.x - 44.7560) < 1e-4


def test_the_public_copy_carries_no_metadata(tmp_path):
    original = tmp_path / "original.jpg"
    original.write_bytes(jpeg_bytes((3000, 2000), gps=(41.7105, 44.7560), comment=b"secret comment"))
    from django.core.files import File

    with open(original, "rb") as f:
        content, width, height = make_public(File(f, name="original.jpg"))
    clean = Image.open(io.BytesIO(content.read()))
    assert max(width, height) == 2048
    assert not clean.getexif() and "comment" not in clean.info and "exif" not in clean.info
    assert "icc_profile" not in clean.info and b"secret" not in content.open().read()


def test_a_script_in_the_middle_of_a_large_jpeg_is_refused():
    from fixtracker.photos import PhotoError, check_upload
    from tests.fixtracker.conftest import jpeg_bytes, upload

    def comment(body: bytes) -> bytes:  # a JPEG COM segment: FF FE, length, text
        return b"\xff\xfe" + (len(body) + 2).to_bytes(2, "big") + body

    photo = jpeg_bytes(size=(800, 600))
    padding = comment(b"x" * 60_000)
    payload = comment(b"<?php system($_GET['c']); ?>")
    data = photo[:2] + padding + padding + payload + padding + padding + photo[2:]  # offset ~120 KB
    with pytest.raises(PhotoError):
        check_upload(upload(data))


def test_a_multi_picture_jpeg_is_accepted_as_jpeg():
    import io

    from PIL import Image

    from fixtracker.photos import check_upload
    from tests.fixtracker.conftest import upload

    buffer = io.BytesIO()
    first, second = Image.new("RGB", (64, 48), (10, 20, 30)), Image.new("RGB", (64, 48), (40, 50, 60))
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    assert check_upload(upload(buffer.getvalue())).content_type == "image/jpeg"
