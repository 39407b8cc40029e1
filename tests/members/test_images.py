"""Logo uploads: real images are stored resized; anything else is refused with a message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import MAX_UPLOAD_BYTES, process_image


def image_upload(name="logo.png", size=(1200, 800), image_format="PNG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format}")


def bomb_upload():
    """A tiny PNG that claims 20000×20000 pixels: 400 megapixels once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, format="PNG", optimize=True)
    return SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png")


@pytest.mark.parametrize(
    ("image_format", "mode"), [("PNG", "RGBA"), ("JPEG", "RGB"), ("WEBP", "RGB")]
)
def test_a_real_image_is_stored_at_most_512_px(image_format, mode):
    stored = process_image(image_upload(size=(2000, 1000), image_format=image_format, mode=mode))
    with Image.open(stored) as image:
        assert image.format == image_format
        assert image.size == (512, 256)


def test_a_small_image_is_not_enlarged():
    stored = process_image(image_upload(size=(100, 80)))
    with Image.open(stored) as image:
        assert image.size == (100, 80)


def test_a_text_file_named_png_is_refused():
    upload = SimpleUploadedFile(
        "logo.png", b"this is not an image at all", content_type="image/png"
    )
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload)
    assert excinfo.value.code == "invalid_image"


def test_a_truncated_image_is_refused():
    data = image_upload(image_format="JPEG").read()
    upload = SimpleUploadedFile("logo.jpg", data[: len(data) // 2], content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload)
    assert excinfo.value.code == "invalid_image"


def test_a_decompression_bomb_is_refused_before_decoding():
    upload = bomb_upload()
    assert upload.size < 1_000_000  # small on disk, huge in memory
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload)
    assert excinfo.value.code == "image_too_many_pixels"


def test_a_gif_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        process_image(image_upload(name="logo.gif", image_format="GIF", mode="P"))
    assert excinfo.value.code == "invalid_image"


def test_a_file_over_5_mb_is_refused():
    upload = SimpleUploadedFile("big.png", b"\0" * (MAX_UPLOAD_BYTES + 1), content_type="image/png")
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload)
    assert excinfo.value.code == "image_too_large"
