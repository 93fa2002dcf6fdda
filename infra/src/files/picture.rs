//! Pictures are decoded (within bounds) and encoded anew: what is stored carries only pixels, so a phone's
//! EXIF block (the GPS position of the citizen's home, the camera's serial number) never reaches the store
//! or anyone downloading the file. Each picture also gets a small JPEG thumbnail.

use crate::error::{Error, Result};
use edaibiao_domain::DomainError;
use edaibiao_domain::attachment::{FileKind, MAX_FILE_BYTES, MAX_IMAGE_SIDE, THUMBNAIL_SIDE};
use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// A picture ready to store: its new bytes and kind, and its thumbnail.
#[derive(Debug)]
pub struct Cleaned {
    pub bytes: Vec<u8>,
    pub kind: FileKind,
    pub thumbnail: Vec<u8>,
}

fn unreadable() -> Error {
    DomainError::invalid("file", "is not a readable picture").into()
}

/// Decodes `bytes` (already sniffed as `kind`), refusing pictures wider or taller than
/// [`MAX_IMAGE_SIDE`] before their pixels are read and capping what the decoder may allocate; then
/// encodes it anew (JPEG stays JPEG, PNG and WebP become PNG) without any metadata, and draws a thumbnail.
/// CPU-bound: call it on a blocking thread.
pub fn clean(bytes: &[u8], kind: FileKind) -> Result<Cleaned> {
    let format = match kind {
        FileKind::Jpeg => ImageFormat::Jpeg,
        FileKind::Png => ImageFormat::Png,
        FileKind::WebP => ImageFormat::WebP,
        FileKind::Pdf => return Err(Error::Internal("a PDF is not a picture".into())),
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    // An 8000 × 8000 RGBA picture plus the decoder's working space.
    limits.max_alloc = Some(u64::from(MAX_IMAGE_SIDE) * u64::from(MAX_IMAGE_SIDE) * 4 + 64 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(_) => {
            DomainError::invalid("file", format!("must be at most {MAX_IMAGE_SIDE} pixels wide and tall"))
                .into()
        }
        _ => unreadable(),
    })?;
    let (bytes, kind) = match kind {
        FileKind::Jpeg => (jpeg(&picture, 85)?, FileKind::Jpeg),
        _ => (png(&picture)?, FileKind::Png),
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(edaibiao_domain::attachment::too_large().into());
    }
    let thumbnail = jpeg(&picture.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE), 80)?;
    Ok(Cleaned { bytes, kind, thumbnail })
}

fn jpeg(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let rgb = DynamicImage::ImageRgb8(picture.to_rgb8());
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    rgb.write_with_encoder(encoder).map_err(|e| Error::Internal(format!("encoding a JPEG: {e}")))?;
    Ok(out)
}

fn png(picture: &DynamicImage) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    picture
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|e| Error::Internal(format!("encoding a PNG: {e}")))?;
    Ok(out)
}

/// Whether JPEG bytes carry an EXIF block (an APP1 segment starting `Exif\0\0`), for tests and checks.
pub fn has_exif(jpeg: &[u8]) -> bool {
    jpeg.windows(6).any(|w| w == b"Exif\0\0")
}
