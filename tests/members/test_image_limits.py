"""Large photos cost a fraction of their full decode; above 40 million pixels they are refused
from the header, with a message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, JpegImagePlugin

from core.images import process_image
from core.limits import MAX_IMAGE_PIXELS


def jpeg_upload(size) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, format="JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_large_jpeg_is_decoded_at_a_reduced_scale(monkeypatch):
    decoded = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def draft(image, mode, size):
        result = real_draft(image, mode, size)
        decoded.append(image.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", draft)
    stored = process_image(jpeg_upload((6000, 4000)), max_side=512)
    assert decoded == [(750, 500)]  # 1/8 of each side: still larger than 512 px.
    assert Image.open(stored).size == (512, 341)


def test_pillow_refuses_to_open_a_decompression_bomb_on_its_own():
    assert Image.MAX_IMAGE_PIXELS == MAX_IMAGE_PIXELS == 40_000_000
    buffer = io.BytesIO()
    Image.new("1", (10000, 8001)).save(buffer, format="PNG")
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(buffer.getvalue()))


def test_just_over_40_megapixels_is_refused_with_a_message():
    buffer = io.BytesIO()
    Image.new("1", (8000, 5001)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("全景.png", buffer.getvalue(), content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload)
    assert excinfo.value.code == "image_too_many_pixels"
