//! Attachments (附件): photos and files on suggestion drafts, unit answers, opinions and other records.
//!
//! The rules here are pure: what kind of file some bytes are (judged by their content, never by the name
//! a phone gave them), which kinds are accepted, how large a file may be, and what a file's shown name
//! may look like. Storing, re-encoding and serving live in `infra` and `api`.

use crate::DomainError;

/// The largest file accepted, in bytes (a phone photo or a scanned, signed answer letter).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The most files one request may carry.
pub const MAX_FILES_PER_REQUEST: usize = 9;
/// The most attachments one item may have.
pub const MAX_ATTACHMENTS_PER_OWNER: usize = 20;
/// The longest shown file name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// The widest or tallest image decoded, in pixels: larger ones are refused before any pixel is read.
pub const MAX_IMAGE_SIDE: u32 = 8_000;
/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// A kind of file the app accepts, recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Jpeg,
    Png,
    WebP,
    Pdf,
}

impl FileKind {
    /// The media type the file is stored and served with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::WebP => "image/webp",
            Self::Pdf => "application/pdf",
        }
    }

    /// The kind a stored media type names (`None` for anything this module never stores).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        [Self::Jpeg, Self::Png, Self::WebP, Self::Pdf].into_iter().find(|k| k.media_type() == media_type)
    }

    /// Whether the file is a picture, which is re-encoded (dropping EXIF) and gets a thumbnail.
    pub fn is_image(self) -> bool {
        !matches!(self, Self::Pdf)
    }
}

/// What the first bytes of a file say it is; anything but the accepted kinds is refused, and so is an
/// empty file or one over [`MAX_FILE_BYTES`]. Names and the client's claimed type are never consulted:
/// an HTML page renamed `photo.jpg` is still HTML.
pub fn sniff(bytes: &[u8]) -> Result<FileKind, DomainError> {
    if bytes.is_empty() {
        return Err(DomainError::invalid("file", "is empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(FileKind::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(FileKind::WebP)
    } else if bytes.starts_with(b"%PDF-") {
        Ok(FileKind::Pdf)
    } else {
        Err(DomainError::invalid("file", "must be a JPEG, PNG or WebP picture or a PDF document"))
    }
}

/// The refusal for a file over [`MAX_FILE_BYTES`].
pub fn too_large() -> DomainError {
    DomainError::invalid("file", format!("must be at most {} MiB", MAX_FILE_BYTES / (1024 * 1024)))
}

/// A shown file name: trimmed, 1 to [`MAX_NAME_CHARS`] characters, no path and no control characters.
/// It is only ever shown and offered as a download name, never used to find or type the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileName(String);

impl FileName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        // A browser may send a whole path; only its last part is the name.
        let name = raw.rsplit(['/', '\\']).next().unwrap_or(raw).trim();
        if name.is_empty() || name == "." || name == ".." {
            return Err(DomainError::invalid("name", "must not be empty"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(DomainError::invalid("name", format!("must be at most {MAX_NAME_CHARS} characters")));
        }
        if name.chars().any(|c| c.is_control() || c == '"') {
            return Err(DomainError::invalid("name", "must not hold control characters or quotes"));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The checksum that names a stored file: SHA-256 of its bytes, in lower-case hex. The same bytes sent
/// twice are one stored file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Checksum(String);

impl Checksum {
    pub fn parse(hex: &str) -> Result<Self, DomainError> {
        if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(Self(hex.to_owned()))
        } else {
            Err(DomainError::invalid("checksum", "must be 64 lower-case hex digits (SHA-256)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What kind of item an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerKind {
    /// A suggestion (代表建议): its lead deputy attaches while it is a draft.
    Suggestion,
}

impl OwnerKind {
    /// How the kind is stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suggestion => "SUGGESTION",
        }
    }
}

/// Whether `actor` may attach files to (or remove them from) suggestion `s`: its lead deputy, while it is
/// a draft. Everyone who may see the suggestion may see its attachments.
pub fn may_attach_to_suggestion(
    actor: &crate::account::Actor,
    s: &crate::suggestion::Suggestion,
) -> Result<(), DomainError> {
    if actor.deputy_id != Some(s.lead_deputy_id) {
        return Err(DomainError::forbidden("only the lead deputy attaches files to a suggestion"));
    }
    if s.state != crate::suggestion::SuggestionState::Draft {
        return Err(DomainError::conflict("files are attached to a suggestion only while it is a draft"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Ok(FileKind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Ok(FileKind::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(FileKind::WebP));
        assert_eq!(sniff(b"%PDF-1.7\n"), Ok(FileKind::Pdf));
    }

    #[test]
    fn html_svg_and_unknown_bytes_are_refused_whatever_their_name() {
        for bytes in [
            &b"<!DOCTYPE html><script>alert(1)</script>"[..],
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            b"\xEF\xBB\xBF<html>",
            b"GIF89a",
            b"PK\x03\x04",
            b"RIFF\0\0\0\0WAVE",
        ] {
            assert!(matches!(sniff(bytes), Err(DomainError::Invalid { field: "file", .. })), "{bytes:?}");
        }
    }

    #[test]
    fn empty_and_oversized_files_are_refused() {
        assert!(matches!(sniff(b""), Err(DomainError::Invalid { field: "file", .. })));
        let mut big = vec![0xFF, 0xD8, 0xFF];
        big.resize(MAX_FILE_BYTES + 1, 0);
        assert_eq!(sniff(&big), Err(too_large()));
        big.truncate(MAX_FILE_BYTES);
        assert_eq!(sniff(&big), Ok(FileKind::Jpeg));
    }

    #[test]
    fn only_pictures_are_images_and_media_types_round_trip() {
        for kind in [FileKind::Jpeg, FileKind::Png, FileKind::WebP, FileKind::Pdf] {
            assert_eq!(FileKind::from_media_type(kind.media_type()), Some(kind));
        }
        assert!(FileKind::Jpeg.is_image() && !FileKind::Pdf.is_image());
        assert_eq!(FileKind::from_media_type("text/html"), None);
    }

    #[test]
    fn names_lose_their_path_and_refuse_control_characters() {
        assert_eq!(FileName::parse("C:\\Users\\me\\路灯.jpg").map(|n| n.0), Ok("路灯.jpg".into()));
        assert_eq!(FileName::parse(" /tmp/答复函.pdf ").map(|n| n.0), Ok("答复函.pdf".into()));
        assert!(FileName::parse("").is_err());
        assert!(FileName::parse("dir/").is_err());
        assert!(FileName::parse("a\r\nSet-Cookie: x=1.jpg").is_err());
        assert!(FileName::parse("say \"hi\".pdf").is_err());
        assert!(FileName::parse(&"长".repeat(MAX_NAME_CHARS + 1)).is_err());
        assert!(FileName::parse(&"长".repeat(MAX_NAME_CHARS)).is_ok());
    }

    #[test]
    fn checksums_are_sha256_hex() {
        assert!(Checksum::parse(&"a".repeat(64)).is_ok());
        assert!(Checksum::parse(&"A".repeat(64)).is_err());
        assert!(Checksum::parse("../../etc/passwd").is_err());
    }
}
