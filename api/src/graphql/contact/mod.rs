//! Contact work (联系代表) over GraphQL: staff link deputies to standing-committee members (as to
//! committees), a committee's contacts are recorded by the congress's staff and a member's by the member or
//! the staff, each with the items the deputy passed on; the coverage statistic (全覆盖) and professional
//! groups' activity statistics are queries (and exports: `contact-coverage`,
//! `professional-group-statistics`).
//!
//! A contact is seen by the congress's staff, the deputy contacted and the member who made it; for anyone
//! else it does not exist (null from `node`). The deputy is not notified of a contact: they took part in it.

use super::connection::{Conn, connection, page_request};
use super::directory::{Committee, Congress, Deputy};
use super::error::{ApiError, ApiResult};
use super::ids::NodeKind;
use super::loaders::{CommitteeKey, CongressKey, DeputyKey};
use super::{ContextExt, ids};
use async_graphql::{Context, Enum, ID, InputObject, MergedObject, Object, SimpleObject};
use chrono::{NaiveDate, Utc};
use edaibiao_domain::deputy_contact::{self as domain, ContactInput, Contactor, PassedOn};
use edaibiao_domain::time::cst_date;
use edaibiao_infra::deputy_contacts::{
    self as store_contacts, ContactFilter, CoverageReport, CoverageRow, ProfessionalGroupRow,
};
use uuid::Uuid;

/// How a contact was made.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::deputy_contact::ContactMethod")]
pub enum DeputyContactMethod {
    /// 走访: a visit to the deputy.
    Visit,
    /// 电话: a phone call.
    Phone,
    /// 座谈: a meeting (座谈会).
    Meeting,
    /// 网络: online (messages, video).
    Online,
}

/// The kind of an item a deputy passed on during a contact.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::deputy_contact::PassedOnKind")]
pub enum PassedOnKind {
    /// A suggestion (建议).
    Suggestion,
    /// A citizen's opinion (社情民意).
    Opinion,
    /// The deputy's report of constituents' views (代表反映社情民意).
    DeputyReport,
}

fn node_kind(kind: domain::PassedOnKind) -> NodeKind {
    match kind {
        domain::PassedOnKind::Suggestion => NodeKind::Suggestion,
        domain::PassedOnKind::Opinion => NodeKind::Opinion,
        domain::PassedOnKind::DeputyReport => NodeKind::DeputyReport,
    }
}

/// A contact (联系代表) of a committee or a standing-committee member with a deputy linked to them.
pub struct DeputyContact(pub domain::DeputyContact);

/// A contact (联系代表) of a committee or a standing-committee member with a deputy linked to them.
#[Object]
impl DeputyContact {
    /// Global ID.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::DeputyContact, self.0.id)
    }
    /// The congress.
    async fn congress(&self, ctx: &Context<'_>) -> ApiResult<Option<Congress>> {
        Ok(ctx.loader()?.load_one(CongressKey(self.0.congress_id)).await?.map(Congress))
    }
    /// The committee that made the contact (专工委), when a committee did.
    async fn committee(&self, ctx: &Context<'_>) -> ApiResult<Option<Committee>> {
        let Contactor::Committee(id) = self.0.contactor else { return Ok(None) };
        Ok(ctx.loader()?.load_one(CommitteeKey(id)).await?.map(Committee))
    }
    /// The standing-committee member (常委会组成人员, a deputy) who made the contact, when a member did.
    async fn member(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        let Contactor::Member(id) = self.0.contactor else { return Ok(None) };
        Ok(ctx.loader()?.load_one(DeputyKey(id)).await?.map(Deputy))
    }
    /// The deputy contacted.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// The day of the contact (China Standard Time).
    async fn contacted_on(&self) -> NaiveDate {
        self.0.contacted_on
    }
    /// How it was made.
    async fn method(&self) -> DeputyContactMethod {
        self.0.method.into()
    }
    /// What was said.
    async fn content(&self) -> &str {
        &self.0.content
    }
    /// The items the deputy passed on; each opens with `node(id)` for those who may see it.
    async fn passed_on(&self) -> Vec<PassedOnItem> {
        self.0.passed_on.iter().copied().map(PassedOnItem).collect()
    }
}

/// An item passed on in a contact.
pub struct PassedOnItem(PassedOn);

/// An item passed on in a contact: its kind and global ID.
#[Object]
impl PassedOnItem {
    /// What it is.
    async fn kind(&self) -> PassedOnKind {
        self.0.kind.into()
    }
    /// Its global ID (a Suggestion, Opinion or DeputyReport).
    async fn item_id(&self) -> ID {
        ids::encode(node_kind(self.0.kind), self.0.id)
    }
}

/// One committee's or member's contact coverage in a year.
pub struct ContactCoverageRow {
    kind: NodeKind,
    row: CoverageRow,
}

/// One committee's or member's contact coverage in a year.
#[Object]
impl ContactCoverageRow {
    /// Global ID of the committee, or of the member (a Deputy).
    async fn contactor_id(&self) -> ID {
        ids::encode(self.kind, self.row.id)
    }
    /// The committee's or the member's name.
    async fn name(&self) -> &str {
        &self.row.name
    }
    /// How many deputies are linked to them now.
    async fn linked_deputies(&self) -> u64 {
        self.row.coverage.linked
    }
    /// How many of those they contacted at least once in the year.
    async fn contacted_deputies(&self) -> u64 {
        self.row.coverage.contacted
    }
    /// Their contacts in the year.
    async fn contacts(&self) -> u64 {
        self.row.coverage.contacts
    }
    /// 全覆盖: every linked deputy contacted at least once in the year (false with nobody linked).
    async fn covered(&self) -> bool {
        self.row.coverage.covered()
    }
}

/// How many contacts one deputy received in a year.
#[derive(SimpleObject)]
pub struct DeputyContactCountRow {
    /// Global ID of the deputy.
    pub deputy_id: ID,
    /// The deputy's name.
    pub name: String,
    /// Contacts with them in the year, by committees and members together.
    pub contacts: u64,
}

/// The contact coverage of a congress in a year (联系代表全覆盖).
pub struct ContactCoverage {
    year: i32,
    report: CoverageReport,
}

/// The contact coverage of a congress in a year (联系代表全覆盖).
#[Object]
impl ContactCoverage {
    /// The CST calendar year counted.
    async fn year(&self) -> i32 {
        self.year
    }
    /// Every committee of the congress, by name.
    async fn committees(&self) -> Vec<ContactCoverageRow> {
        let rows = self.report.committees.iter().cloned();
        rows.map(|row| ContactCoverageRow { kind: NodeKind::Committee, row }).collect()
    }
    /// Every standing-committee member with a linked deputy or a contact in the year, by name.
    async fn members(&self) -> Vec<ContactCoverageRow> {
        let rows = self.report.members.iter().cloned();
        rows.map(|row| ContactCoverageRow { kind: NodeKind::Deputy, row }).collect()
    }
    /// How many committees covered every linked deputy.
    async fn covered_committees(&self) -> u64 {
        self.report.committees.iter().filter(|r| r.coverage.covered()).count() as u64
    }
    /// How many members covered every linked deputy.
    async fn covered_members(&self) -> u64 {
        self.report.members.iter().filter(|r| r.coverage.covered()).count() as u64
    }
    /// Every deputy of the congress with the contacts they received, by name.
    async fn deputies(&self) -> Vec<DeputyContactCountRow> {
        self.report
            .deputies
            .iter()
            .map(|d| DeputyContactCountRow {
                deputy_id: ids::encode(NodeKind::Deputy, d.deputy_id),
                name: d.name.clone(),
                contacts: d.contacts,
            })
            .collect()
    }
}

/// One professional group's activities and its members' attendance in a year.
#[derive(SimpleObject)]
pub struct ProfessionalGroupStatisticsRow {
    /// Global ID of the professional group.
    pub professional_group_id: ID,
    /// Its name.
    pub name: String,
    /// Deputies in the group now.
    pub members: u64,
    /// The group's activities starting in the year.
    pub activities: u64,
    /// Its members' attendances (checked in) at those activities.
    pub present: u64,
    /// Its members' excused absences (leave approved).
    pub excused: u64,
    /// Its members' absences.
    pub absent: u64,
    /// present / (present + excused + absent); null when none is decided yet.
    pub attendance_rate: Option<f64>,
}

impl From<&ProfessionalGroupRow> for ProfessionalGroupStatisticsRow {
    fn from(r: &ProfessionalGroupRow) -> Self {
        Self {
            professional_group_id: ids::encode(NodeKind::ProfessionalGroup, r.id),
            name: r.name.clone(),
            members: r.members,
            activities: r.activities,
            present: r.attendance.present,
            excused: r.attendance.excused,
            absent: r.attendance.absent,
            attendance_rate: r.attendance.rate(),
        }
    }
}

/// The coverage table, for the query and the export alike.
pub async fn coverage_table(
    ctx_store: &edaibiao_infra::Store,
    actor: &edaibiao_domain::account::Actor,
    congress_id: Uuid,
    year: i32,
) -> ApiResult<CoverageReport> {
    Ok(store_contacts::contact_coverage(ctx_store, actor, congress_id, year).await?)
}

/// A contact to record.
#[derive(InputObject)]
pub struct RecordDeputyContactInput {
    /// Global ID of the committee that made the contact; give this or `memberId`, not both.
    pub committee_id: Option<ID>,
    /// Global ID of the standing-committee member (a Deputy) who made it; give this or `committeeId`.
    pub member_id: Option<ID>,
    /// Global ID of the deputy contacted, who must be linked to the committee or member.
    pub deputy_id: ID,
    /// The day of the contact (China Standard Time), not in the future.
    pub contacted_on: NaiveDate,
    /// How it was made.
    pub method: DeputyContactMethod,
    /// What was said, 1–2,000 characters.
    pub content: String,
    /// Global IDs of the suggestions, opinions and deputies' reports the deputy passed on (at most 20),
    /// each one the recorder may see.
    #[graphql(default)]
    pub passed_on: Vec<ID>,
}

impl RecordDeputyContactInput {
    fn contactor(&self) -> ApiResult<Contactor> {
        match (&self.committee_id, &self.member_id) {
            (Some(c), None) => Ok(Contactor::Committee(ids::decode(NodeKind::Committee, "committeeId", c)?)),
            (None, Some(m)) => Ok(Contactor::Member(ids::decode(NodeKind::Deputy, "memberId", m)?)),
            _ => Err(ApiError::bad_input("committeeId", "give either committeeId or memberId")),
        }
    }

    fn passed_on(&self) -> ApiResult<Vec<PassedOn>> {
        self.passed_on
            .iter()
            .map(|id| {
                let kind = match ids::decode_any(id) {
                    Some((NodeKind::Suggestion, id)) => {
                        PassedOn { kind: domain::PassedOnKind::Suggestion, id }
                    }
                    Some((NodeKind::Opinion, id)) => PassedOn { kind: domain::PassedOnKind::Opinion, id },
                    Some((NodeKind::DeputyReport, id)) => {
                        PassedOn { kind: domain::PassedOnKind::DeputyReport, id }
                    }
                    _ => {
                        return Err(ApiError::bad_input(
                            "passedOn",
                            "each must be a Suggestion, Opinion or DeputyReport ID",
                        ));
                    }
                };
                Ok(kind)
            })
            .collect()
    }
}

#[derive(Default)]
pub struct ContactQuery;

#[Object]
impl ContactQuery {
    /// Contacts with deputies, oldest recorded first: the staff of a congress see their congress's (admins
    /// any congress's, or all), a deputy the contacts with them and those they made as a member; anyone
    /// else is FORBIDDEN.
    #[graphql(complexity = "crate::graphql::connection::page_cost(first, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn deputy_contacts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress (for admins; staff may name only their own).")]
        congress_id: Option<ID>,
        #[graphql(desc = "Only contacts with this deputy (global ID).")] deputy_id: Option<ID>,
        #[graphql(desc = "Only contacts made by this committee (global ID).")] committee_id: Option<ID>,
        #[graphql(desc = "Only contacts made by this member (global ID of a Deputy).")] member_id: Option<ID>,
        #[graphql(desc = "Only contacts made in this CST calendar year.")] year: Option<i32>,
        #[graphql(desc = "Page size, 1–100 (default 20); above 100 is BAD_USER_INPUT.")] first: Option<i32>,
        #[graphql(desc = "Continue after this cursor (a `pageInfo.endCursor`).")] after: Option<String>,
    ) -> ApiResult<Conn<DeputyContact>> {
        let actor = ctx.actor()?;
        let contactor = match (committee_id, member_id) {
            (Some(c), None) => {
                Some(Contactor::Committee(ids::decode(NodeKind::Committee, "committeeId", &c)?))
            }
            (None, Some(m)) => Some(Contactor::Member(ids::decode(NodeKind::Deputy, "memberId", &m)?)),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_input("memberId", "give committeeId or memberId"));
            }
        };
        let filter = ContactFilter {
            congress_id: ids::decode_opt(NodeKind::Congress, "congressId", congress_id.as_ref())?,
            deputy_id: ids::decode_opt(NodeKind::Deputy, "deputyId", deputy_id.as_ref())?,
            contactor,
            year,
        };
        let request = page_request(first, after)?;
        let page = store_contacts::list(&ctx.services()?.store, actor, filter, request).await?;
        Ok(connection(page, request, |c| c.id, DeputyContact))
    }

    /// The deputies linked to a standing-committee member (对口联系), by name. Public, as committees' links.
    async fn member_linked_deputies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the member (a Deputy).")] member_id: ID,
    ) -> ApiResult<Vec<Deputy>> {
        let member_id = ids::decode(NodeKind::Deputy, "memberId", &member_id)?;
        linked_of(ctx, member_id).await
    }

    /// The contact coverage of a congress in a CST calendar year (联系代表全覆盖): per committee and
    /// member the deputies linked, contacted and the contacts; per deputy the contacts received. Staff of
    /// the congress only. Also as `GET /exports/contact-coverage.csv|xlsx?congressId=…&year=…`.
    async fn contact_coverage(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "The CST calendar year, e.g. 2026.")] year: i32,
    ) -> ApiResult<ContactCoverage> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let report = coverage_table(&ctx.services()?.store, actor, congress_id, year).await?;
        Ok(ContactCoverage { year, report })
    }

    /// Per professional group (代表专业小组) of a congress: its members, the activities it held in a CST
    /// calendar year and its members' attendance of them. Staff of the congress only. Also as
    /// `GET /exports/professional-group-statistics.csv|xlsx?congressId=…&year=…`.
    async fn professional_group_statistics(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
        #[graphql(desc = "The CST calendar year, e.g. 2026.")] year: i32,
    ) -> ApiResult<Vec<ProfessionalGroupStatisticsRow>> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        let rows =
            store_contacts::professional_group_statistics(&ctx.services()?.store, actor, congress_id, year)
                .await?;
        Ok(rows.iter().map(Into::into).collect())
    }
}

async fn linked_of(ctx: &Context<'_>, member_id: Uuid) -> ApiResult<Vec<Deputy>> {
    let links = store_contacts::member_links(&ctx.services()?.store, &[member_id]).await?;
    let ids: Vec<Uuid> = links.into_iter().map(|(_, d)| d).collect();
    let mut deputies: Vec<Deputy> =
        ctx.loader()?.deputies_in_order(&ids).await?.into_iter().map(Deputy).collect();
    deputies.sort_by(|a, b| (&a.0.name, a.0.id).cmp(&(&b.0.name, b.0.id)));
    Ok(deputies)
}

async fn set_link(ctx: &Context<'_>, member_id: ID, deputy_id: ID, linked: bool) -> ApiResult<Vec<Deputy>> {
    let actor = ctx.actor()?;
    let member_id = ids::decode(NodeKind::Deputy, "memberId", &member_id)?;
    let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
    store_contacts::set_member_link(&ctx.services()?.store, actor, member_id, deputy_id, linked).await?;
    linked_of(ctx, member_id).await
}

#[derive(Default)]
pub struct ContactMutation;

#[Object]
impl ContactMutation {
    /// Staff of the congress link a deputy to a standing-committee member (常委会组成人员, a deputy of the
    /// same congress) for contact work (对口联系); linking twice changes nothing. Returns the member's
    /// linked deputies.
    async fn link_deputy_to_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the member (a Deputy).")] member_id: ID,
        #[graphql(desc = "Global ID of the deputy to link, of the member's congress.")] deputy_id: ID,
    ) -> ApiResult<Vec<Deputy>> {
        set_link(ctx, member_id, deputy_id, true).await
    }

    /// Removes a deputy's link to a member; unlinking twice changes nothing. Contacts already recorded
    /// stay. Returns the member's linked deputies.
    async fn unlink_deputy_from_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the member (a Deputy).")] member_id: ID,
        #[graphql(desc = "Global ID of the deputy to unlink.")] deputy_id: ID,
    ) -> ApiResult<Vec<Deputy>> {
        set_link(ctx, member_id, deputy_id, false).await
    }

    /// Records a contact with a deputy linked to the committee or member: a committee's by the congress's
    /// staff, a member's by the member or the staff (FORBIDDEN for anyone else); a deputy not linked, a day
    /// in the future or an item the recorder may not see is BAD_USER_INPUT. The deputy is not notified.
    async fn record_deputy_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact, as `RecordDeputyContactInput` describes it.")]
        input: RecordDeputyContactInput,
        #[graphql(
            desc = "Optional retry key, 8–100 characters: a repeat with the same key returns the first result and does not act twice."
        )]
        idempotency_key: Option<String>,
    ) -> ApiResult<DeputyContact> {
        let actor = ctx.actor()?;
        let contactor = input.contactor()?;
        let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &input.deputy_id)?;
        let parsed = ContactInput::parse(
            input.contacted_on,
            input.method.into(),
            &input.content,
            input.passed_on()?,
            cst_date(Utc::now()),
        )?;
        let services = ctx.services()?;
        let contact = store_contacts::record(
            &services.store,
            &services.opinions.vault,
            actor,
            contactor,
            deputy_id,
            parsed,
            idempotency_key.as_deref(),
        )
        .await?;
        Ok(DeputyContact(contact))
    }
}

/// A contact by global ID, for `node(id)`: null unless the viewer may see it.
pub async fn node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<DeputyContact>> {
    let actor = ctx.actor()?;
    Ok(store_contacts::find_for(&ctx.services()?.store, actor, id).await?.map(DeputyContact))
}

/// Queries of contact work.
#[derive(MergedObject, Default)]
pub struct DeputyContactQuery(ContactQuery);

/// Mutations of contact work.
#[derive(MergedObject, Default)]
pub struct DeputyContactMutation(ContactMutation);
