"""Uploaded images (logos, and later photos): checked with Pillow, stored resized.

Only real JPEG, PNG and WebP images pass; the size and pixel limits are checked before the
image is decoded, so a decompression bomb is refused without ever being expanded in memory.
A JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) still larger than the stored size
(Pillow's ``draft``), so a 40-megapixel photo costs a fraction of its full decode.
"""

import io
import math
import warnings
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from core.limits import MAX_IMAGE_PIXELS

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = MAX_IMAGE_PIXELS


def process_image(upload, *, max_side: int = 512) -> SimpleUploadedFile:
    """Validate an uploaded image and return it re-encoded, at most ``max_side`` px a side.

    Raises ValidationError with a message for the person who uploaded it.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s."),
            code="image_too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    upload.seek(0)
    data = upload.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the limit is %(limit)s."),
            code="image_too_large",
            params={"size": filesizeformat(len(data)), "limit": filesizeformat(MAX_UPLOAD_BYTES)},
        )
    not_an_image = ValidationError(
        _("This file is not a JPEG, PNG or WebP image, or it is damaged. Choose another file."),
        code="invalid_image",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            image_format = image.format
            width, height = image.size
            if image_format not in ALLOWED_FORMATS:
                raise not_an_image
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The image is %(width)d×%(height)d pixels; at most 40 million pixels "
                        "are accepted."
                    ),
                    code="image_too_many_pixels",
                    params={"width": width, "height": height},
                )
            if image_format == "JPEG" and max(width, height) > max_side:
                ratio = max_side / max(width, height)
                image.draft(None, (math.ceil(width * ratio), math.ceil(height * ratio)))
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image is too large to process (more than 40 million pixels)."),
            code="image_too_many_pixels",
        ) from None
    except Exception:  # Pillow raises many kinds for broken files: all mean the same here.
        raise not_an_image from None

    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    save_kwargs = {"quality": 88, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
    image.save(out, format=image_format, **save_kwargs)
    stem = Path(getattr(upload, "name", "") or "image").stem[:60] or "image"
    return SimpleUploadedFile(
        f"{stem}.{ALLOWED_FORMATS[image_format]}",
        out.getvalue(),
        content_type=Image.MIME[image_format],
    )


class ValidatedImageFormField(forms.ImageField):
    """An image form field that validates with :func:`process_image` and resizes."""

    def __init__(self, *args, max_side: int = 512, **kwargs):
        self.max_side = max_side
        kwargs.setdefault(
            "help_text", _("JPEG, PNG or WebP, at most 5 MB; large images are scaled down.")
        )
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if data in self.empty_values:
            return None
        return process_image(data, max_side=self.max_side)


class ValidatedImageField(models.ImageField):
    """A model image field whose forms validate and resize the upload."""

    def __init__(self, *args, max_side: int = 512, **kwargs):
        self.max_side = max_side
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.max_side != 512:
            kwargs["max_side"] = self.max_side
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": ValidatedImageFormField, "max_side": self.max_side, **kwargs}
        )
