"""A JPEG is decoded at reduced scale, and still read to its last byte: truncation anywhere is refused."""

import io
import random

import pytest
from PIL import Image

from fixtracker.photos import PhotoError, check_upload
from tests.fixtracker.conftest import upload


def noise_jpeg(side=900) -> bytes:
    image = Image.frombytes("RGB", (side, side), random.Random(3).randbytes(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def test_it_reports_the_full_size_of_a_photo_decoded_at_reduced_scale():
    checked = check_upload(upload(noise_jpeg()))
    assert (checked.width, checked.height) == (900, 900)


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_it_refuses_a_jpeg_cut_short_near_its_end(cut):
    data = noise_jpeg()
    with pytest.raises(PhotoError):
        check_upload(upload(data[: int(len(data) * cut)]))
