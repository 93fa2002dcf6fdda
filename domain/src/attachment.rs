//! Attachments (附件): photos and files on suggestion drafts, unit answers, opinions and other records.
//!
//! The rules here are pure: what kind of file some bytes are (judged by their content, never by the name
//! a phone gave them), which kinds are accepted, how large a file may be, and what a file's shown name
//! may look like. Storing, re-encoding and serving live in `infra` and `api`.

use crate::DomainError;

/// The largest file accepted, in bytes (a phone photo or a scanned, signed answer letter).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The largest file accepted through a presigned upload (`requestUpload`), in bytes: large PDFs.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;
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
    sniff_within(bytes, MAX_FILE_BYTES)
}

/// [`sniff`] with another size limit (a presigned upload's, [`MAX_UPLOAD_BYTES`]).
pub fn sniff_within(bytes: &[u8], limit: usize) -> Result<FileKind, DomainError> {
    if bytes.is_empty() {
        return Err(DomainError::invalid("file", "is empty"));
    }
    if bytes.len() > limit {
        return Err(too_large_for(limit));
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
    too_large_for(MAX_FILE_BYTES)
}

/// The refusal for a file over `limit` bytes.
pub fn too_large_for(limit: usize) -> DomainError {
    DomainError::invalid("file", format!("must be at most {} MiB", limit / (1024 * 1024)))
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

/// How long the writer of a record that has no lifecycle of its own (a reception record, a progress
/// report) may still add files to it: the record is settled after that.
pub const AMEND_WINDOW_DAYS: i64 = 7;

/// What kind of item an attachment belongs to. Each kind has its own rule of who may attach (below): the
/// person who writes that item, while it can still change. Who may *see* the files is the owner's own
/// visibility rule, applied where the owner is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerKind {
    /// A suggestion (代表建议): its lead deputy attaches while it is a draft.
    Suggestion,
    /// A lead unit's answer to a suggestion (答复函): the unit's staff attach while the answer is due.
    Answer,
    /// A citizen's opinion (社情民意): sent with the public form, or added by the submitting citizen's
    /// account while nobody has taken it yet.
    Opinion,
    /// A station's reception record (接待记录): its recorder, within [`AMEND_WINDOW_DAYS`].
    ReceptionRecord,
    /// A self-reported duty archive entry: its deputy, while staff have not decided it.
    DutyEntry,
    /// A duty evaluation's rectification report (整改报告): the deputy concerned, until it is handed in.
    RectificationReport,
    /// An item of an appraisal's list of problems: the appraised unit, while its answer can change.
    AppraisalItem,
    /// A livelihood project's progress report: its reporter, within [`AMEND_WINDOW_DAYS`].
    ProgressReport,
    /// A learning material (学习资料): staff of its congress.
    LearningMaterial,
}

impl OwnerKind {
    /// Every kind, for parsing and tests.
    pub const ALL: [OwnerKind; 9] = [
        Self::Suggestion,
        Self::Answer,
        Self::Opinion,
        Self::ReceptionRecord,
        Self::DutyEntry,
        Self::RectificationReport,
        Self::AppraisalItem,
        Self::ProgressReport,
        Self::LearningMaterial,
    ];

    /// How the kind is stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Suggestion => "SUGGESTION",
            Self::Answer => "ANSWER",
            Self::Opinion => "OPINION",
            Self::ReceptionRecord => "RECEPTION_RECORD",
            Self::DutyEntry => "DUTY_ENTRY",
            Self::RectificationReport => "RECTIFICATION_REPORT",
            Self::AppraisalItem => "APPRAISAL_ITEM",
            Self::ProgressReport => "PROGRESS_REPORT",
            Self::LearningMaterial => "LEARNING_MATERIAL",
        }
    }

    /// The kind stored as `raw`.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
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

/// Whether `actor` may attach the answer letter (答复函) of unit `unit_id` to suggestion `s`: staff of that
/// unit, when it leads (or handles in parallel) and its answer is due — the suggestion is being handled,
/// the unit accepted it and has not answered yet (again, after a re-opening). Once answered, the letter is
/// part of the answer and fixed.
pub fn may_attach_to_answer(
    actor: &crate::account::Actor,
    s: &crate::suggestion::Suggestion,
    unit_id: uuid::Uuid,
) -> Result<(), DomainError> {
    use crate::suggestion::{HandlingRole, SuggestionState};
    let part = s.assignment.as_ref().and_then(|a| a.units.iter().find(|p| p.unit_id == unit_id));
    let Some(part) = part.filter(|p| p.role == HandlingRole::Lead) else {
        return Err(DomainError::NotFound("answer"));
    };
    if actor.role != crate::account::Role::UnitStaff || actor.unit_id != Some(part.unit_id) {
        return Err(DomainError::forbidden("only the answering unit attaches its answer letter"));
    }
    if s.state != SuggestionState::Handled || !part.accepted || part.answer.is_some() {
        return Err(DomainError::conflict("an answer letter is attached while the answer is due"));
    }
    Ok(())
}

/// Whether `actor` may add files to opinion `o` after submitting it (files sent with the public form need
/// no account): the citizen account that submitted it, while it is received and nobody has taken it yet.
pub fn may_attach_to_opinion(
    actor: &crate::account::Actor,
    o: &crate::opinion::Opinion,
) -> Result<(), DomainError> {
    if o.submitter_account_id != Some(actor.user_id) {
        return Err(DomainError::forbidden("only the citizen who raised the opinion adds files to it"));
    }
    if o.state != crate::opinion::OpinionState::Received {
        return Err(DomainError::conflict("files are added to an opinion only until it is taken"));
    }
    Ok(())
}

/// For records without a lifecycle (reception records, progress reports): whether `actor` wrote it
/// (`written_by`) and it is at most [`AMEND_WINDOW_DAYS`] old at `now`.
pub fn may_amend_record(
    actor: &crate::account::Actor,
    written_by: uuid::Uuid,
    written_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DomainError> {
    if actor.user_id != written_by {
        return Err(DomainError::forbidden("only who wrote the record adds files to it"));
    }
    if now - written_at > chrono::Duration::days(AMEND_WINDOW_DAYS) {
        return Err(DomainError::conflict(format!(
            "files are added to a record within {AMEND_WINDOW_DAYS} days of writing it"
        )));
    }
    Ok(())
}

/// Whether `actor` may add files to a self-reported duty entry of deputy `deputy_id`: that deputy, while
/// it waits for staff.
pub fn may_attach_to_duty_entry(
    actor: &crate::account::Actor,
    deputy_id: uuid::Uuid,
    status: crate::duty::record::EntryStatus,
) -> Result<(), DomainError> {
    if actor.role != crate::account::Role::Deputy || actor.deputy_id != Some(deputy_id) {
        return Err(DomainError::forbidden("only the deputy who reported the entry adds files to it"));
    }
    if status != crate::duty::record::EntryStatus::Pending {
        return Err(DomainError::conflict("files are added to an entry only until staff decide it"));
    }
    Ok(())
}

/// Whether `actor` may add files to the rectification report deputy `deputy_id` owes: that deputy, until
/// it is handed in.
pub fn may_attach_to_rectification(
    actor: &crate::account::Actor,
    deputy_id: uuid::Uuid,
    handed_in: bool,
) -> Result<(), DomainError> {
    crate::duty::evaluation::ensure_own(actor, deputy_id)?;
    if handed_in {
        return Err(DomainError::conflict("the report is handed in: its files are fixed"));
    }
    Ok(())
}

/// Whether `actor` may add files to an item of the list of problems of an appraisal of unit `unit_id`:
/// that unit's staff, while the appraisal is rectifying and the item takes an answer (open or returned).
pub fn may_attach_to_appraisal_item(
    actor: &crate::account::Actor,
    unit_id: uuid::Uuid,
    appraisal: crate::appraisal::AppraisalState,
    item: crate::appraisal::ItemState,
) -> Result<(), DomainError> {
    if actor.role != crate::account::Role::UnitStaff || actor.unit_id != Some(unit_id) {
        return Err(DomainError::forbidden("only the appraised unit adds files to the items of its list"));
    }
    if appraisal != crate::appraisal::AppraisalState::Rectifying {
        return Err(DomainError::conflict("files are added to items while the unit rectifies"));
    }
    crate::appraisal::item_step(item, crate::appraisal::Action::AnswerItem).map(|_| ())
}

/// Whether `actor` may add files to a learning material of `congress_id`: its publishers, the staff.
pub fn may_attach_to_material(
    actor: &crate::account::Actor,
    congress_id: uuid::Uuid,
) -> Result<(), DomainError> {
    crate::learning::check_publisher(actor, congress_id)
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

    fn actor(role: crate::account::Role, n: u128) -> crate::account::Actor {
        let id = Some(uuid::Uuid::from_u128(n));
        crate::account::Actor {
            user_id: uuid::Uuid::from_u128(1000 + n),
            role,
            congress_id: id,
            unit_id: id,
            deputy_id: id,
            station_id: id,
        }
    }

    #[test]
    fn owner_kinds_round_trip_through_their_stored_name() {
        for kind in OwnerKind::ALL {
            assert_eq!(OwnerKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OwnerKind::parse("suggestion"), None);
    }

    #[test]
    fn a_record_without_lifecycle_takes_files_from_its_writer_for_a_week() {
        use crate::account::Role;
        let writer = actor(Role::StationStaff, 1);
        let now = chrono::Utc::now();
        assert_eq!(may_amend_record(&writer, writer.user_id, now - chrono::Duration::days(6), now), Ok(()));
        let late = may_amend_record(&writer, writer.user_id, now - chrono::Duration::days(8), now);
        assert!(matches!(late, Err(DomainError::Conflict(_))));
        let other = actor(Role::StationStaff, 2);
        assert!(matches!(may_amend_record(&other, writer.user_id, now, now), Err(DomainError::Forbidden(_))));
    }

    #[test]
    fn a_duty_entry_takes_files_from_its_deputy_until_decided() {
        use crate::account::Role;
        use crate::duty::record::EntryStatus;
        let deputy = actor(Role::Deputy, 3);
        let own = uuid::Uuid::from_u128(3);
        assert_eq!(may_attach_to_duty_entry(&deputy, own, EntryStatus::Pending), Ok(()));
        for decided in [EntryStatus::Verified, EntryStatus::Rejected] {
            assert!(matches!(may_attach_to_duty_entry(&deputy, own, decided), Err(DomainError::Conflict(_))));
        }
        for other in [actor(Role::Deputy, 4), actor(Role::CongressStaff, 3), actor(Role::UnitStaff, 3)] {
            let refused = may_attach_to_duty_entry(&other, own, EntryStatus::Pending);
            assert!(matches!(refused, Err(DomainError::Forbidden(_))), "{other:?}");
        }
    }

    #[test]
    fn an_appraisal_item_takes_files_from_its_unit_while_its_answer_can_change() {
        use crate::account::Role;
        use crate::appraisal::{AppraisalState as A, ItemState as I};
        let unit = actor(Role::UnitStaff, 5);
        let own = uuid::Uuid::from_u128(5);
        for open in [I::Open, I::Returned] {
            assert_eq!(may_attach_to_appraisal_item(&unit, own, A::Rectifying, open), Ok(()));
        }
        for fixed in [I::Answered, I::Accepted] {
            let refused = may_attach_to_appraisal_item(&unit, own, A::Rectifying, fixed);
            assert!(matches!(refused, Err(DomainError::Conflict(_))), "{fixed:?}");
        }
        assert!(matches!(
            may_attach_to_appraisal_item(&unit, own, A::Voting, I::Open),
            Err(DomainError::Conflict(_))
        ));
        let other = actor(Role::UnitStaff, 6);
        assert!(matches!(
            may_attach_to_appraisal_item(&other, own, A::Rectifying, I::Open),
            Err(DomainError::Forbidden(_))
        ));
    }

    #[test]
    fn a_rectification_report_and_a_material_take_files_from_their_writers() {
        use crate::account::Role;
        let deputy = actor(Role::Deputy, 7);
        let own = uuid::Uuid::from_u128(7);
        assert_eq!(may_attach_to_rectification(&deputy, own, false), Ok(()));
        assert!(matches!(may_attach_to_rectification(&deputy, own, true), Err(DomainError::Conflict(_))));
        assert!(matches!(
            may_attach_to_rectification(&actor(Role::Deputy, 8), own, false),
            Err(DomainError::Forbidden(_))
        ));
        let staff = actor(Role::CongressStaff, 9);
        assert_eq!(may_attach_to_material(&staff, uuid::Uuid::from_u128(9)), Ok(()));
        assert!(may_attach_to_material(&staff, uuid::Uuid::from_u128(10)).is_err());
        assert!(may_attach_to_material(&actor(Role::Deputy, 9), uuid::Uuid::from_u128(9)).is_err());
    }
}
