//! A copy of what the platform holds about a person (PIPL art. 45), for them to download: their account,
//! the opinions they submitted with everything they gave (the contact phone opened from its seal: it is
//! theirs), the public steps, answers and their ratings, their comments on draft laws, and the devices
//! registered for push (without the push tokens, which are the push services', not the person's), and the
//! suggestions they follow.

use crate::entity::{
    account, device, draft_comment, opinion, privacy_consent, project_follower, suggestion_follower,
};
use crate::error::Result;
use crate::opinions::record::aggregate;
use crate::vault::Vault;
use crate::{Store, opinions};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// Everything, as one JSON document.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalDataCopy {
    pub generated_at: DateTime<Utc>,
    pub account: AccountCopy,
    pub opinions: Vec<OpinionCopy>,
    pub draft_comments: Vec<CommentCopy>,
    pub devices: Vec<DeviceCopy>,
    /// The suggestions followed (their ids).
    pub followed_suggestions: Vec<Uuid>,
    /// The livelihood projects the citizen follows.
    pub followed_projects: Vec<Uuid>,
    /// Every consent to a privacy notice the account gave (the sign-up's, the opinions'), oldest first.
    pub consents: Vec<GivenConsentCopy>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountCopy {
    pub id: Uuid,
    pub phone: String,
    pub name: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpinionCopy {
    pub tracking_code: String,
    pub category: String,
    pub content: String,
    pub location: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub state: String,
    pub submitted_at: DateTime<Utc>,
    pub steps: Vec<StepCopy>,
    pub feedback: Option<String>,
    pub rating: Option<RatingCopy>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The privacy notice agreed to with it, and what that covered.
    pub privacy_consent: Option<ConsentCopy>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentCopy {
    pub notice_version: String,
    pub covers: Vec<String>,
    pub given_at: DateTime<Utc>,
}

/// A consent with what it was for: the purpose (`ACCOUNT`, `OPINION`, …) and the thing it came with.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GivenConsentCopy {
    pub purpose: String,
    pub subject_id: Uuid,
    pub notice_version: String,
    pub covers: Vec<String>,
    pub given_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepCopy {
    pub kind: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RatingCopy {
    pub satisfaction: String,
    pub comment: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentCopy {
    pub draft_id: Uuid,
    pub draft_version: i32,
    pub content: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceCopy {
    pub platform: String,
    pub registered_at: DateTime<Utc>,
}

/// The copy of account `id`'s data.
pub async fn copy(store: &Store, vault: &Vault, id: Uuid) -> Result<PersonalDataCopy> {
    let row = account::Entity::find_by_id(id).one(&store.db).await?.ok_or("account")?;
    let rows = opinion::Entity::find()
        .filter(opinion::Column::SubmitterAccountId.eq(id))
        .order_by_asc(opinion::Column::CreatedAt)
        .all(&store.db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut timelines = opinions::timeline(store, &ids).await?;
    let mut consents: HashMap<Uuid, ConsentCopy> = privacy_consent::Entity::find()
        .filter(privacy_consent::Column::SubjectKind.eq("OPINION"))
        .filter(privacy_consent::Column::SubjectId.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|c| {
            let covers = c.covers.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect();
            (c.subject_id, ConsentCopy { notice_version: c.notice_version, covers, given_at: c.given_at })
        })
        .collect();
    let mut copies = Vec::with_capacity(rows.len());
    for row in rows {
        let o = aggregate(&row.snapshot)?;
        let contact_phone = row.contact_phone_sealed.as_deref().map(|s| vault.open(s)).transpose()?;
        let steps = timelines
            .remove(&row.id)
            .unwrap_or_default()
            .into_iter()
            .filter(|e| e.public)
            .map(|e| StepCopy { kind: e.kind, at: e.at })
            .collect();
        copies.push(OpinionCopy {
            tracking_code: o.tracking_code.as_str().to_owned(),
            category: o.category.as_str().to_owned(),
            content: o.content,
            location: o.location,
            contact_name: o.contact_name,
            contact_phone,
            state: o.state.as_str().to_owned(),
            submitted_at: o.created_at,
            steps,
            feedback: o.feedback.map(|f| f.text),
            rating: o.rating.map(|r| RatingCopy {
                satisfaction: r.satisfaction.as_str().to_owned(),
                comment: r.comment,
                at: r.at,
            }),
            closed_at: o.closure.map(|c| c.at),
            privacy_consent: consents.remove(&row.id),
        });
    }
    let draft_comments = draft_comment::Entity::find()
        .filter(draft_comment::Column::AccountId.eq(id))
        .order_by_asc(draft_comment::Column::CreatedAt)
        .all(&store.db)
        .await?
        .into_iter()
        .map(|c| CommentCopy {
            draft_id: c.draft_id,
            draft_version: c.draft_version,
            content: c.content,
            created_at: c.created_at,
        })
        .collect();
    let devices = device::Entity::find()
        .filter(device::Column::AccountId.eq(id))
        .order_by_asc(device::Column::CreatedAt)
        .all(&store.db)
        .await?
        .into_iter()
        .map(|d| DeviceCopy { platform: d.platform, registered_at: d.created_at })
        .collect();
    let followed_suggestions = suggestion_follower::Entity::find()
        .select_only()
        .column(suggestion_follower::Column::SuggestionId)
        .filter(suggestion_follower::Column::AccountId.eq(id))
        .into_tuple()
        .all(&store.db)
        .await?;
    let followed_projects = project_follower::Entity::find()
        .select_only()
        .column(project_follower::Column::ProjectId)
        .filter(project_follower::Column::AccountId.eq(id))
        .into_tuple()
        .all(&store.db)
        .await?;
    let given = privacy_consent::Entity::find()
        .filter(privacy_consent::Column::AccountId.eq(id))
        .order_by_asc(privacy_consent::Column::Id)
        .all(&store.db)
        .await?
        .into_iter()
        .map(|c| GivenConsentCopy {
            purpose: c.subject_kind,
            subject_id: c.subject_id,
            notice_version: c.notice_version,
            covers: c.covers.split(',').filter(|k| !k.is_empty()).map(str::to_owned).collect(),
            given_at: c.given_at,
        })
        .collect();
    Ok(PersonalDataCopy {
        generated_at: Utc::now(),
        account: AccountCopy {
            id: row.id,
            phone: row.phone,
            name: row.name,
            role: row.role,
            created_at: row.created_at,
        },
        opinions: copies,
        draft_comments,
        devices,
        followed_suggestions,
        followed_projects,
        consents: given,
    })
}
