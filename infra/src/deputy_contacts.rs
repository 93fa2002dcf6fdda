//! Contact work (联系代表) in storage: the links of standing-committee members to deputies, the recorded
//! contacts with the items passed on, and the coverage statistic (全覆盖). Professional groups' activity
//! statistics live here too, since they are the other half of the same contact-work issue.
//!
//! A contact is recorded once, in one transaction with its items and the idempotency key; it is never
//! changed afterwards, so there is no row lock or version to compare. The deputy is not notified: they took
//! part in the contact, and see it among their contacts.

use crate::activities::{self, year_bounds};
use crate::entity::{
    activity, committee, committee_member, deputy, deputy_contact, deputy_contact_item, member_link,
    professional_group,
};
use crate::error::Result;
use crate::idempotency::Idempotency;
use crate::opinions::{self, Viewer};
use crate::transaction::{self, Key, Once};
use crate::vault::Vault;
use crate::{Error, Page, PageRequest, Store, deputy_reports, suggestions};
use chrono::{NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::deputy_contact::{
    ContactInput, ContactMethod, Contactor, Coverage, DeputyContact, PassedOn, PassedOnKind, check_linked,
    coverage, may_record, may_view,
};
use edaibiao_domain::statistics::AttendanceCounts;
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// The congress of a contactor; NOT_FOUND for an unknown committee or deputy.
async fn congress_of(db: &impl ConnectionTrait, contactor: Contactor) -> Result<Uuid> {
    Ok(match contactor {
        Contactor::Committee(id) => {
            committee::Entity::find_by_id(id).one(db).await?.ok_or("committee")?.congress_id
        }
        Contactor::Member(id) => deputy::Entity::find_by_id(id).one(db).await?.ok_or("deputy")?.congress_id,
    })
}

/// Whether `deputy_id` is linked to `contactor` now.
async fn is_linked(db: &impl ConnectionTrait, contactor: Contactor, deputy_id: Uuid) -> Result<bool> {
    Ok(match contactor {
        Contactor::Committee(c) => {
            committee_member::Entity::find_by_id((c, deputy_id)).one(db).await?.is_some()
        }
        Contactor::Member(m) => member_link::Entity::find_by_id((m, deputy_id)).one(db).await?.is_some(),
    })
}

/// Staff of the congress link a deputy to a standing-committee member (a deputy of the same congress), or
/// unlink them. Linking twice or unlinking what is not linked changes nothing.
pub async fn set_member_link(
    store: &Store,
    actor: &Actor,
    member_id: Uuid,
    deputy_id: Uuid,
    linked: bool,
) -> Result<()> {
    let member = deputy::Entity::find_by_id(member_id).one(&store.db).await?.ok_or("deputy")?;
    if !actor.is_staff_of(member.congress_id) {
        return Err(DomainError::forbidden("only staff of the congress link deputies to its members").into());
    }
    let linked_deputy = deputy::Entity::find_by_id(deputy_id).one(&store.db).await?.ok_or("deputy")?;
    if linked_deputy.congress_id != member.congress_id {
        return Err(DomainError::invalid("deputyId", "must be a deputy of the member's congress").into());
    }
    if member_id == deputy_id {
        return Err(DomainError::invalid("deputyId", "a member is not linked to themselves").into());
    }
    let existing = member_link::Entity::find_by_id((member_id, deputy_id)).one(&store.db).await?;
    match (linked, existing) {
        (true, None) => {
            let row = member_link::ActiveModel {
                member_id: Set(member_id),
                deputy_id: Set(deputy_id),
                congress_id: Set(member.congress_id),
                created_at: Set(Utc::now()),
            };
            // A concurrent twin may have linked them first: that is the same outcome.
            if let Err(e) = member_link::Entity::insert(row).exec_without_returning(&store.db).await {
                return match Error::unique_as_conflict(e, "linked") {
                    Error::Domain(DomainError::Conflict(_)) => Ok(()),
                    other => Err(other),
                };
            }
        }
        (false, Some(_)) => {
            member_link::Entity::delete_by_id((member_id, deputy_id)).exec(&store.db).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The deputies linked to each of `member_ids`, as `(member, deputy)`, in one query.
pub async fn member_links(store: &Store, member_ids: &[Uuid]) -> Result<Vec<(Uuid, Uuid)>> {
    let rows = member_link::Entity::find()
        .filter(member_link::Column::MemberId.is_in(member_ids.iter().copied()))
        .order_by_asc(member_link::Column::DeputyId)
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.member_id, r.deputy_id)).collect())
}

/// Checks that the recorder may see each item passed on, by the item's own rule; an item they may not see
/// (or that does not exist) is BAD_USER_INPUT on `passedOn`, without telling which of the two.
async fn check_items(store: &Store, vault: &Vault, actor: &Actor, items: &[PassedOn]) -> Result<()> {
    let unseen = || -> Error {
        DomainError::invalid("passedOn", "names an item that does not exist or that you may not see").into()
    };
    let hidden = |e: Error| match e {
        Error::Domain(DomainError::NotFound(_)) => unseen(),
        other => other,
    };
    let mut viewer = None;
    for item in items {
        match item.kind {
            PassedOnKind::Suggestion => {
                suggestions::find_for(store, actor, item.id).await.map_err(hidden)?;
            }
            PassedOnKind::Opinion => {
                if viewer.is_none() {
                    viewer = Some(Viewer::load(&store.db, actor).await?);
                }
                if let Some(v) = &viewer {
                    opinions::find_for(store, vault, v, item.id).await.map_err(hidden)?;
                }
            }
            PassedOnKind::DeputyReport => {
                deputy_reports::find_for(&store.db, actor, item.id).await?.ok_or_else(unseen)?;
            }
        }
    }
    Ok(())
}

/// `recordDeputyContact`: the congress's staff (for a committee or a member) or a member (for themselves)
/// record a contact with a deputy linked to the contactor, with the items passed on, which the recorder
/// must be able to see. A retry with the same idempotency key returns the first contact.
pub async fn record(
    store: &Store,
    vault: &Vault,
    actor: &Actor,
    contactor: Contactor,
    deputy_id: Uuid,
    input: ContactInput,
    idempotency_key: Option<&str>,
) -> Result<DeputyContact> {
    let congress_id = congress_of(&store.db, contactor).await?;
    may_record(actor, congress_id, contactor)?;
    check_linked(is_linked(&store.db, contactor, deputy_id).await?)?;
    check_items(store, vault, actor, &input.passed_on).await?;
    let contact = DeputyContact {
        id: Uuid::now_v7(),
        congress_id,
        contactor,
        deputy_id,
        contacted_on: input.contacted_on,
        method: input.method,
        content: input.content,
        passed_on: input.passed_on,
        recorded_by: actor.user_id,
    };
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "recordDeputyContact" });
    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: contact.id });
    let done = transaction::run_once(store, key, async |txn| {
        let (committee_id, member_id) = match contact.contactor {
            Contactor::Committee(c) => (Some(c), None),
            Contactor::Member(m) => (None, Some(m)),
        };
        let row = deputy_contact::ActiveModel {
            id: Set(contact.id),
            congress_id: Set(contact.congress_id),
            committee_id: Set(committee_id),
            member_id: Set(member_id),
            deputy_id: Set(contact.deputy_id),
            contacted_on: Set(contact.contacted_on),
            method: Set(contact.method.as_str().to_owned()),
            content: Set(contact.content.clone()),
            recorded_by: Set(contact.recorded_by),
            created_at: Set(Utc::now()),
        };
        deputy_contact::Entity::insert(row).exec_without_returning(txn).await?;
        if !contact.passed_on.is_empty() {
            let items = contact.passed_on.iter().map(|p| deputy_contact_item::ActiveModel {
                contact_id: Set(contact.id),
                kind: Set(p.kind.as_str().to_owned()),
                item_id: Set(p.id),
            });
            deputy_contact_item::Entity::insert_many(items).exec_without_returning(txn).await?;
        }
        Ok(())
    })
    .await?;
    match done {
        Once::Done(()) => Ok(contact),
        Once::Replayed(first) => {
            find_for(store, actor, first).await?.ok_or_else(|| DomainError::NotFound("deputy contact").into())
        }
    }
}

/// Builds contacts from rows, with their items in one query.
async fn hydrate(db: &impl ConnectionTrait, rows: Vec<deputy_contact::Model>) -> Result<Vec<DeputyContact>> {
    let mut items: HashMap<Uuid, Vec<PassedOn>> = HashMap::new();
    if !rows.is_empty() {
        let found = deputy_contact_item::Entity::find()
            .filter(deputy_contact_item::Column::ContactId.is_in(rows.iter().map(|r| r.id)))
            .order_by_asc(deputy_contact_item::Column::Kind)
            .order_by_asc(deputy_contact_item::Column::ItemId)
            .all(db)
            .await?;
        for i in found {
            let kind = crate::error::stored("passed-on kind", i.contact_id, PassedOnKind::parse(&i.kind))?;
            items.entry(i.contact_id).or_default().push(PassedOn { kind, id: i.item_id });
        }
    }
    rows.into_iter()
        .map(|r| {
            let contactor = match (r.committee_id, r.member_id) {
                (Some(c), None) => Contactor::Committee(c),
                (None, Some(m)) => Contactor::Member(m),
                _ => return Err(Error::Internal(format!("contact {} has no single contactor", r.id))),
            };
            Ok(DeputyContact {
                id: r.id,
                congress_id: r.congress_id,
                contactor,
                deputy_id: r.deputy_id,
                contacted_on: r.contacted_on,
                method: crate::error::stored("contact method", r.id, ContactMethod::parse(&r.method))?,
                content: r.content,
                passed_on: items.remove(&r.id).unwrap_or_default(),
                recorded_by: r.recorded_by,
            })
        })
        .collect()
}

/// The contact for those who may see it (the congress's staff, the deputy contacted, the member who made
/// it); `None` for anyone else, as for a contact that does not exist.
pub async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Option<DeputyContact>> {
    let Some(row) = deputy_contact::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    let contact = hydrate(&store.db, vec![row]).await?.pop();
    Ok(contact.filter(|c| may_view(actor, c)))
}

/// Narrows `deputyContacts`.
#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    /// For admins (staff see their own congress only).
    pub congress_id: Option<Uuid>,
    /// Only contacts with this deputy.
    pub deputy_id: Option<Uuid>,
    /// Only contacts made by this committee or member.
    pub contactor: Option<Contactor>,
    /// Only contacts made in this CST calendar year.
    pub year: Option<i32>,
}

fn year_days(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    let day = |y| NaiveDate::from_ymd_opt(y, 1, 1).ok_or(DomainError::invalid("year", "out of range"));
    Ok((day(year)?, day(year + 1)?))
}

/// `deputyContacts`, oldest recorded first: the staff of a congress see their congress's (admins any
/// congress's), a deputy the contacts with them and those they made as a member. Anyone else is FORBIDDEN.
pub async fn list(
    store: &Store,
    actor: &Actor,
    filter: ContactFilter,
    request: PageRequest,
) -> Result<Page<DeputyContact>> {
    let scope = match (actor.role, actor.congress_id, actor.deputy_id) {
        (Role::Admin, _, _) => match filter.congress_id {
            Some(c) => Condition::all().add(deputy_contact::Column::CongressId.eq(c)),
            None => Condition::all(),
        },
        (Role::CongressStaff, Some(c), _) => {
            if filter.congress_id.is_some_and(|f| f != c) {
                return Err(DomainError::forbidden("staff see the contacts of their own congress").into());
            }
            Condition::all().add(deputy_contact::Column::CongressId.eq(c))
        }
        (Role::Deputy, _, Some(d)) => Condition::any()
            .add(deputy_contact::Column::DeputyId.eq(d))
            .add(deputy_contact::Column::MemberId.eq(d)),
        _ => {
            return Err(DomainError::forbidden(
                "contacts are for the congress's staff, the deputies contacted and the members who made them",
            )
            .into());
        }
    };
    let mut query = deputy_contact::Entity::find().filter(scope);
    if let Some(d) = filter.deputy_id {
        query = query.filter(deputy_contact::Column::DeputyId.eq(d));
    }
    match filter.contactor {
        Some(Contactor::Committee(c)) => query = query.filter(deputy_contact::Column::CommitteeId.eq(c)),
        Some(Contactor::Member(m)) => query = query.filter(deputy_contact::Column::MemberId.eq(m)),
        None => {}
    }
    if let Some(year) = filter.year {
        let (from, to) = year_days(year)?;
        query = query
            .filter(deputy_contact::Column::ContactedOn.gte(from))
            .filter(deputy_contact::Column::ContactedOn.lt(to));
    }
    let total_count = query.clone().count(&store.db).await?;
    if let Some(after) = request.after {
        query = query.filter(deputy_contact::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(deputy_contact::Column::Id).limit(request.first + 1).all(&store.db).await?;
    let page = Page::from_overfetch(rows, request, total_count);
    let has_next_page = page.has_next_page;
    let items = hydrate(&store.db, page.items).await?;
    Ok(Page { items, has_next_page, total_count })
}

/// One committee's or member's coverage row.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    /// The committee's id, or the member's deputy id.
    pub id: Uuid,
    pub name: String,
    pub coverage: Coverage,
}

/// One deputy's contacts received in the year.
#[derive(Debug, Clone, PartialEq)]
pub struct DeputyContactCount {
    pub deputy_id: Uuid,
    pub name: String,
    pub contacts: u64,
}

/// The coverage statistic of a congress and year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoverageReport {
    /// Every committee of the congress, by name.
    pub committees: Vec<CoverageRow>,
    /// Every member with a linked deputy or a contact in the year, by name.
    pub members: Vec<CoverageRow>,
    /// Every deputy of the congress, by name.
    pub deputies: Vec<DeputyContactCount>,
}

fn staff_only(actor: &Actor, congress_id: Uuid) -> Result<()> {
    if actor.is_staff_of(congress_id) {
        Ok(())
    } else {
        Err(DomainError::forbidden("statistics are for the staff of the congress").into())
    }
}

/// `contactCoverage`: per committee and member, the deputies linked, those contacted at least once in the
/// CST calendar year `year`, the contacts, and whether every linked deputy was contacted (全覆盖); per deputy
/// the contacts received. Staff of the congress only. Five queries whatever the size of the congress.
pub async fn contact_coverage(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
) -> Result<CoverageReport> {
    staff_only(actor, congress_id)?;
    let db = &store.db;
    let (from, to) = year_days(year)?;
    let committees = committee::Entity::find()
        .filter(committee::Column::CongressId.eq(congress_id))
        .order_by_asc(committee::Column::Name)
        .order_by_asc(committee::Column::Id)
        .all(db)
        .await?;
    let deputies: Vec<(Uuid, String)> = deputy::Entity::find()
        .select_only()
        .columns([deputy::Column::Id, deputy::Column::Name])
        .filter(deputy::Column::CongressId.eq(congress_id))
        .order_by_asc(deputy::Column::Name)
        .order_by_asc(deputy::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let committee_links = crate::directory::named::committee_members(
        store,
        &committees.iter().map(|c| c.id).collect::<Vec<_>>(),
    )
    .await?;
    let member_rows =
        member_link::Entity::find().filter(member_link::Column::CongressId.eq(congress_id)).all(db).await?;
    let contacts: Vec<(Option<Uuid>, Option<Uuid>, Uuid)> = deputy_contact::Entity::find()
        .select_only()
        .columns([
            deputy_contact::Column::CommitteeId,
            deputy_contact::Column::MemberId,
            deputy_contact::Column::DeputyId,
        ])
        .filter(deputy_contact::Column::CongressId.eq(congress_id))
        .filter(deputy_contact::Column::ContactedOn.gte(from))
        .filter(deputy_contact::Column::ContactedOn.lt(to))
        .into_tuple()
        .all(db)
        .await?;

    let mut links: Vec<(Contactor, Uuid)> =
        committee_links.into_iter().map(|(c, d)| (Contactor::Committee(c), d)).collect();
    links.extend(member_rows.iter().map(|l| (Contactor::Member(l.member_id), l.deputy_id)));
    let mut received: HashMap<Uuid, u64> = HashMap::new();
    let mut made = Vec::with_capacity(contacts.len());
    for (committee_id, member_id, deputy_id) in contacts {
        *received.entry(deputy_id).or_default() += 1;
        match (committee_id, member_id) {
            (Some(c), _) => made.push((Contactor::Committee(c), deputy_id)),
            (None, Some(m)) => made.push((Contactor::Member(m), deputy_id)),
            (None, None) => {}
        }
    }
    let by_contactor = coverage(&links, &made);
    let names: HashMap<Uuid, &str> = deputies.iter().map(|(id, name)| (*id, name.as_str())).collect();

    let committees = committees
        .iter()
        .map(|c| CoverageRow {
            id: c.id,
            name: c.name.clone(),
            coverage: by_contactor.get(&Contactor::Committee(c.id)).copied().unwrap_or_default(),
        })
        .collect();
    let mut members: Vec<CoverageRow> = by_contactor
        .iter()
        .filter_map(|(who, coverage)| match who {
            Contactor::Member(m) => Some(CoverageRow {
                id: *m,
                name: names.get(m).copied().unwrap_or_default().to_owned(),
                coverage: *coverage,
            }),
            Contactor::Committee(_) => None,
        })
        .collect();
    members.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    let deputies = deputies
        .into_iter()
        .map(|(deputy_id, name)| DeputyContactCount {
            contacts: received.get(&deputy_id).copied().unwrap_or(0),
            deputy_id,
            name,
        })
        .collect();
    Ok(CoverageReport { committees, members, deputies })
}

/// One professional group's activities in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfessionalGroupRow {
    pub id: Uuid,
    pub name: String,
    /// Deputies of the group now.
    pub members: u64,
    /// The group's activities starting in the year.
    pub activities: u64,
    /// The attendance of the group's members at those activities (participants who are not members are
    /// not counted); open participations (not yet ended, not checked in) are left out.
    pub attendance: AttendanceCounts,
}

/// `professionalGroupStatistics`: per professional group of the congress, its members, the activities it
/// held in the CST calendar year `year` and its members' attendance of them. Staff of the congress only.
pub async fn professional_group_statistics(
    store: &Store,
    actor: &Actor,
    congress_id: Uuid,
    year: i32,
) -> Result<Vec<ProfessionalGroupRow>> {
    staff_only(actor, congress_id)?;
    let db = &store.db;
    let (from, to) = year_bounds(year)?;
    let groups = professional_group::Entity::find()
        .filter(professional_group::Column::CongressId.eq(congress_id))
        .order_by_asc(professional_group::Column::Name)
        .order_by_asc(professional_group::Column::Id)
        .all(db)
        .await?;
    let members: Vec<(Uuid, Option<Uuid>)> = deputy::Entity::find()
        .select_only()
        .columns([deputy::Column::Id, deputy::Column::ProfessionalGroupId])
        .filter(deputy::Column::CongressId.eq(congress_id))
        .filter(deputy::Column::ProfessionalGroupId.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let group_of_deputy: HashMap<Uuid, Uuid> =
        members.iter().filter_map(|(d, g)| g.map(|g| (*d, g))).collect();
    let held: Vec<(Uuid, Option<Uuid>)> = activity::Entity::find()
        .select_only()
        .columns([activity::Column::Id, activity::Column::ProfessionalGroupId])
        .filter(activity::Column::CongressId.eq(congress_id))
        .filter(activity::Column::ProfessionalGroupId.is_not_null())
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(to))
        .into_tuple()
        .all(db)
        .await?;
    let group_of_activity: HashMap<Uuid, Uuid> =
        held.iter().filter_map(|(a, g)| g.map(|g| (*a, g))).collect();
    let mut rows: BTreeMap<Uuid, (u64, u64, AttendanceCounts)> = BTreeMap::new();
    for g in group_of_deputy.values() {
        rows.entry(*g).or_default().0 += 1;
    }
    for g in group_of_activity.values() {
        rows.entry(*g).or_default().1 += 1;
    }
    if !group_of_activity.is_empty() {
        for record in activities::attendance_of(db, congress_id, from, to, None).await? {
            let Some(group) = group_of_activity.get(&record.activity_id) else { continue };
            let (Some(attendance), Some(member_of)) =
                (record.attendance, group_of_deputy.get(&record.deputy_id))
            else {
                continue;
            };
            if member_of == group {
                rows.entry(*group).or_default().2.count(attendance);
            }
        }
    }
    Ok(groups
        .into_iter()
        .map(|g| {
            let (members, activities, attendance) = rows.get(&g.id).copied().unwrap_or_default();
            ProfessionalGroupRow { id: g.id, name: g.name, members, activities, attendance }
        })
        .collect())
}
