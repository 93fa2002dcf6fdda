//! The items attachments belong to, and the one place that asks each item's own capability whether an
//! actor may see it (its `find_for`-style function, never a copy of its rule) and the domain whether they
//! may attach files to it (`edaibiao_domain::attachment`).

use crate::Store;
use crate::error::{Error, Result};
use crate::opinions::OpinionSettings;
use chrono::Utc;
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::attachment::{self as rules, OwnerKind};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// An item files are attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Suggestion(Uuid),
    /// The answer of a lead unit of a suggestion (its part of the suggestion).
    Answer {
        suggestion_id: Uuid,
        unit_id: Uuid,
    },
    Opinion(Uuid),
    ReceptionRecord(Uuid),
    DutyEntry(Uuid),
    RectificationReport(Uuid),
    AppraisalItem(Uuid),
    ProgressReport(Uuid),
    LearningMaterial(Uuid),
}

/// The id a unit's answer's attachments are stored under: derived from the suggestion and the unit (the
/// answer has no id of its own), one-way; the suggestion is kept beside it (`parent_id`).
pub fn answer_key(suggestion_id: Uuid, unit_id: Uuid) -> Uuid {
    let mut hash = Sha256::new();
    hash.update(b"edaibiao answer attachments v1");
    hash.update(suggestion_id.as_bytes());
    hash.update(unit_id.as_bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

impl Owner {
    pub fn kind(self) -> OwnerKind {
        match self {
            Self::Suggestion(_) => OwnerKind::Suggestion,
            Self::Answer { .. } => OwnerKind::Answer,
            Self::Opinion(_) => OwnerKind::Opinion,
            Self::ReceptionRecord(_) => OwnerKind::ReceptionRecord,
            Self::DutyEntry(_) => OwnerKind::DutyEntry,
            Self::RectificationReport(_) => OwnerKind::RectificationReport,
            Self::AppraisalItem(_) => OwnerKind::AppraisalItem,
            Self::ProgressReport(_) => OwnerKind::ProgressReport,
            Self::LearningMaterial(_) => OwnerKind::LearningMaterial,
        }
    }

    /// The id its attachments are stored under (`attachments.owner_id`).
    pub fn key(self) -> Uuid {
        match self {
            Self::Answer { suggestion_id, unit_id } => answer_key(suggestion_id, unit_id),
            Self::Suggestion(id)
            | Self::Opinion(id)
            | Self::ReceptionRecord(id)
            | Self::DutyEntry(id)
            | Self::RectificationReport(id)
            | Self::AppraisalItem(id)
            | Self::ProgressReport(id)
            | Self::LearningMaterial(id) => id,
        }
    }

    /// The record it is part of (`attachments.parent_id`): the suggestion of an answer.
    pub fn parent(self) -> Option<Uuid> {
        match self {
            Self::Answer { suggestion_id, .. } => Some(suggestion_id),
            _ => None,
        }
    }
}

/// The owner a stored attachment (or upload) names, as far as the row tells: an answer's unit is found by
/// [`resolve`], which needs the suggestion.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    pub kind: OwnerKind,
    pub owner_id: Uuid,
    pub parent_id: Option<Uuid>,
}

fn not_found() -> Error {
    DomainError::NotFound("attachment").into()
}

/// The owner a stored row names, for `actor` (who must be able to see it: NOT_FOUND otherwise).
pub async fn resolve(store: &Store, actor: Option<&Actor>, stored: Stored) -> Result<Owner> {
    let id = stored.owner_id;
    Ok(match stored.kind {
        OwnerKind::Suggestion => Owner::Suggestion(id),
        OwnerKind::Answer => {
            let (Some(actor), Some(suggestion_id)) = (actor, stored.parent_id) else {
                return Err(not_found());
            };
            let s =
                crate::suggestions::find_for(store, actor, suggestion_id).await.map_err(|_| not_found())?;
            let unit = s.assignment.iter().flat_map(|a| &a.units).find(|p| answer_key(s.id, p.unit_id) == id);
            let unit = unit.ok_or_else(not_found)?;
            Owner::Answer { suggestion_id, unit_id: unit.unit_id }
        }
        OwnerKind::Opinion => Owner::Opinion(id),
        OwnerKind::ReceptionRecord => Owner::ReceptionRecord(id),
        OwnerKind::DutyEntry => Owner::DutyEntry(id),
        OwnerKind::RectificationReport => Owner::RectificationReport(id),
        OwnerKind::AppraisalItem => Owner::AppraisalItem(id),
        OwnerKind::ProgressReport => Owner::ProgressReport(id),
        OwnerKind::LearningMaterial => Owner::LearningMaterial(id),
    })
}

/// What is asked of an owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// To see it (and so its files).
    See,
    /// To attach files to it or remove them.
    Attach,
}

/// Whether `actor` may see `owner` (its own capability's visibility function decides; NOT_FOUND when
/// not) and, for [`Want::Attach`], attach files to it (the domain's rule for its kind decides).
pub async fn check(
    store: &Store,
    opinions: &OpinionSettings,
    actor: Option<&Actor>,
    owner: Owner,
    want: Want,
) -> Result<()> {
    let attach = want == Want::Attach;
    // Only the public parts of the app (published appraisals, public projects) are seen signed out, and
    // nobody attaches signed out (the public opinion form sends its files with the opinion).
    let signed_in = || actor.ok_or_else(|| Error::from(DomainError::NotFound("attachment owner")));
    match owner {
        Owner::Suggestion(id) => {
            let actor = signed_in()?;
            let s = crate::suggestions::find_for(store, actor, id).await?;
            if attach {
                rules::may_attach_to_suggestion(actor, &s)?;
            }
        }
        Owner::Answer { suggestion_id, unit_id } => {
            let actor = signed_in()?;
            let s = crate::suggestions::find_for(store, actor, suggestion_id).await?;
            let part = s.assignment.as_ref().and_then(|a| a.units.iter().find(|p| p.unit_id == unit_id));
            if part.is_none() {
                return Err(DomainError::NotFound("answer").into());
            }
            if attach {
                rules::may_attach_to_answer(actor, &s, unit_id)?;
            }
        }
        Owner::Opinion(id) => {
            let actor = signed_in()?;
            let viewer = crate::opinions::Viewer::load(&store.db, actor).await?;
            let view = crate::opinions::find_for(store, &opinions.vault, &viewer, id).await?;
            if attach {
                rules::may_attach_to_opinion(actor, &view.opinion)?;
            }
        }
        Owner::ReceptionRecord(id) => {
            let actor = signed_in()?;
            let viewer = crate::opinions::Viewer::load(&store.db, actor).await?;
            let entry = crate::opinions::reception::find(store, opinions, &viewer, id).await?;
            if attach {
                let r = &entry.record;
                rules::may_amend_record(actor, r.recorded_by_account_id, r.created_at, Utc::now())?;
            }
        }
        Owner::DutyEntry(id) => {
            let actor = signed_in()?;
            let entry = crate::duty::entry_for(store, actor, id).await?;
            if attach {
                rules::may_attach_to_duty_entry(actor, entry.deputy_id, entry.status)?;
            }
        }
        Owner::RectificationReport(id) => {
            let actor = signed_in()?;
            let report = crate::evaluations::rectification_for(store, actor, id)
                .await?
                .ok_or(DomainError::NotFound("rectification report"))?;
            if attach {
                rules::may_attach_to_rectification(actor, report.deputy_id, report.submitted_at.is_some())?;
            }
        }
        Owner::AppraisalItem(id) => {
            let item = crate::appraisals::item_for(store, actor, id).await?;
            if attach {
                let actor = signed_in()?;
                let appraisal = crate::appraisals::find_for(store, Some(actor), item.appraisal_id).await?;
                rules::may_attach_to_appraisal_item(actor, appraisal.unit_id, appraisal.state, item.state)?;
            }
        }
        Owner::ProgressReport(id) => {
            let report = crate::projects::progress_report_for(store, actor, id).await?;
            if attach {
                let actor = signed_in()?;
                rules::may_amend_record(actor, report.reported_by, report.reported_at, Utc::now())?;
            }
        }
        Owner::LearningMaterial(id) => {
            let material = crate::learning::material_for(store, actor, id).await?;
            if attach {
                rules::may_attach_to_material(signed_in()?, material.congress_id)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answers_key_is_its_own_and_stable() {
        let (s, u, v) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert_eq!(answer_key(s, u), answer_key(s, u));
        assert_ne!(answer_key(s, u), answer_key(s, v));
        assert_ne!(answer_key(s, u), answer_key(u, s));
        let owner = Owner::Answer { suggestion_id: s, unit_id: u };
        assert_eq!(
            (owner.key(), owner.parent(), owner.kind()),
            (answer_key(s, u), Some(s), OwnerKind::Answer)
        );
        assert_eq!(Owner::Opinion(s).key(), s);
        assert_eq!(Owner::Opinion(s).parent(), None);
    }
}
