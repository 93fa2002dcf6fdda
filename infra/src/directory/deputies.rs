//! Deputies and the roster (履职资源分类名册): filters by congress, group, occupation, industry, expertise,
//! station and name.

use super::{contains_pattern, keyset_page, managed_congress};
use crate::Store;
use crate::entity::{deputy, deputy_expertise, deputy_group, liaison_station, professional_group};
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use crate::transaction;
use chrono::{DateTime, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::{DeputyDraft, Gender, OccupationCategory, same_congress};
use edaibiao_domain::text::SearchText;
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A people's congress deputy (人大代表) as the roster shows them. The phone is private: who may see it is
/// the API's to decide (`may_see_deputy_phone`).
#[derive(Debug, Clone, PartialEq)]
pub struct Deputy {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub name: String,
    pub gender: Gender,
    pub deputy_group_id: Option<Uuid>,
    pub professional_group_id: Option<Uuid>,
    pub occupation: OccupationCategory,
    pub industry: Option<String>,
    pub liaison_station_id: Option<Uuid>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Deputy {
    pub(crate) fn from_row(row: deputy::Model) -> Result<Self> {
        Ok(Self {
            gender: stored("deputy gender", row.id, Gender::parse(&row.gender))?,
            occupation: stored("deputy occupation", row.id, OccupationCategory::parse(&row.occupation))?,
            id: row.id,
            congress_id: row.congress_id,
            name: row.name,
            deputy_group_id: row.deputy_group_id,
            professional_group_id: row.professional_group_id,
            industry: row.industry,
            liaison_station_id: row.liaison_station_id,
            bio: row.bio,
            photo_url: row.photo_url,
            phone: row.phone,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Roster filters; all given filters must match.
#[derive(Debug, Clone, Default)]
pub struct DeputyFilter {
    pub congress_id: Option<Uuid>,
    pub deputy_group_id: Option<Uuid>,
    pub professional_group_id: Option<Uuid>,
    pub liaison_station_id: Option<Uuid>,
    pub occupation: Option<OccupationCategory>,
    pub industry: Option<String>,
    pub expertise: Option<String>,
    pub name_contains: Option<SearchText>,
}

/// Where a deputy belongs within the congress.
#[derive(Debug, Clone, Copy, Default)]
pub struct DeputyLinks {
    pub deputy_group_id: Option<Uuid>,
    pub professional_group_id: Option<Uuid>,
    pub liaison_station_id: Option<Uuid>,
}

/// Checks that every linked record exists and belongs to `congress_id`.
async fn check_links(db: &impl ConnectionTrait, congress_id: Uuid, links: DeputyLinks) -> Result<()> {
    if let Some(id) = links.deputy_group_id {
        let group = deputy_group::Entity::find_by_id(id).one(db).await?.ok_or("deputy group")?;
        same_congress("deputyGroupId", congress_id, Some(group.congress_id))?;
    }
    if let Some(id) = links.professional_group_id {
        let group = professional_group::Entity::find_by_id(id).one(db).await?.ok_or("professional group")?;
        same_congress("professionalGroupId", congress_id, Some(group.congress_id))?;
    }
    if let Some(id) = links.liaison_station_id {
        let station = liaison_station::Entity::find_by_id(id).one(db).await?.ok_or("liaison station")?;
        same_congress("liaisonStationId", congress_id, Some(station.congress_id))?;
    }
    Ok(())
}

async fn replace_expertise(db: &impl ConnectionTrait, deputy_id: Uuid, tags: &[String]) -> Result<()> {
    deputy_expertise::Entity::delete_many()
        .filter(deputy_expertise::Column::DeputyId.eq(deputy_id))
        .exec(db)
        .await?;
    if !tags.is_empty() {
        let rows = tags
            .iter()
            .map(|tag| deputy_expertise::ActiveModel { deputy_id: Set(deputy_id), tag: Set(tag.clone()) });
        deputy_expertise::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

fn apply(model: &mut deputy::ActiveModel, draft: &DeputyDraft, links: DeputyLinks) {
    model.name = Set(draft.name.clone());
    model.gender = Set(draft.gender.as_str().to_owned());
    model.occupation = Set(draft.occupation.as_str().to_owned());
    model.industry = Set(draft.industry.clone());
    model.bio = Set(draft.bio.clone());
    model.photo_url = Set(draft.photo_url.clone());
    model.phone = Set(draft.phone.as_ref().map(|p| p.as_str().to_owned()));
    model.deputy_group_id = Set(links.deputy_group_id);
    model.professional_group_id = Set(links.professional_group_id);
    model.liaison_station_id = Set(links.liaison_station_id);
    model.updated_at = Set(Utc::now());
}

pub async fn create(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    draft: DeputyDraft,
    links: DeputyLinks,
) -> Result<Deputy> {
    managed_congress(&store.db, actor, congress_id).await?;
    check_links(&store.db, congress_id, links).await?;
    let mut model = deputy::ActiveModel {
        id: Set(Uuid::now_v7()),
        congress_id: Set(congress_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    apply(&mut model, &draft, links);
    let created = transaction::run(store, async |txn| {
        let created = deputy::Entity::insert(model).exec_with_returning(txn).await?;
        replace_expertise(txn, created.id, draft.expertise.as_slice()).await?;
        super::qr::issue_first(txn, created.id).await?;
        Ok(created)
    })
    .await?;
    Deputy::from_row(created)
}

/// Replaces the whole profile.
pub async fn update(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    draft: DeputyDraft,
    links: DeputyLinks,
) -> Result<Deputy> {
    let current = deputy::Entity::find_by_id(id).one(&store.db).await?.ok_or("deputy")?;
    managed_congress(&store.db, actor, current.congress_id).await?;
    check_links(&store.db, current.congress_id, links).await?;
    let regrouped = current.deputy_group_id != links.deputy_group_id;
    let mut model: deputy::ActiveModel = current.into();
    apply(&mut model, &draft, links);
    let updated = transaction::run(store, async |txn| {
        let updated = model.update(txn).await?;
        replace_expertise(txn, id, draft.expertise.as_slice()).await?;
        if regrouped {
            crate::suggestions::lead_group::follow_deputy(txn, id, links.deputy_group_id).await?;
        }
        Ok(updated)
    })
    .await?;
    super::forget(store, super::Changed::Deputy(id)).await;
    Deputy::from_row(updated)
}

/// A page of the roster.
pub async fn search(store: &Store, filter: &DeputyFilter, request: PageRequest) -> Result<Page<Deputy>> {
    let mut select = deputy::Entity::find();
    let eq =
        |select: sea_orm::Select<deputy::Entity>, column: deputy::Column, value: Option<Uuid>| match value {
            Some(v) => select.filter(column.eq(v)),
            None => select,
        };
    select = eq(select, deputy::Column::CongressId, filter.congress_id);
    select = eq(select, deputy::Column::DeputyGroupId, filter.deputy_group_id);
    select = eq(select, deputy::Column::ProfessionalGroupId, filter.professional_group_id);
    select = eq(select, deputy::Column::LiaisonStationId, filter.liaison_station_id);
    if let Some(occupation) = &filter.occupation {
        select = select.filter(deputy::Column::Occupation.eq(occupation.as_str()));
    }
    if let Some(industry) = &filter.industry {
        select = select.filter(deputy::Column::Industry.eq(industry.as_str()));
    }
    if let Some(name) = &filter.name_contains {
        select = select.filter(deputy::Column::Name.like(contains_pattern(name)));
    }
    if let Some(tag) = &filter.expertise {
        select = select.filter(
            deputy::Column::Id.in_subquery(
                Query::select()
                    .column(deputy_expertise::Column::DeputyId)
                    .from(deputy_expertise::Entity)
                    .and_where(deputy_expertise::Column::Tag.eq(tag.as_str()))
                    .to_owned(),
            ),
        );
    }
    keyset_page(&store.db, select, deputy::Column::Id, request).await?.try_map(Deputy::from_row)
}

/// The expertise tags of each deputy, in one query.
pub async fn expertise(store: &Store, deputy_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>> {
    let rows = deputy_expertise::Entity::find()
        .filter(deputy_expertise::Column::DeputyId.is_in(deputy_ids.iter().copied()))
        .order_by_asc(deputy_expertise::Column::Tag)
        .all(&store.db)
        .await?;
    let mut map: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in rows {
        map.entry(row.deputy_id).or_default().push(row.tag);
    }
    Ok(map)
}
