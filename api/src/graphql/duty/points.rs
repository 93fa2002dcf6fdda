//! The points rule table and the ledger.

use super::archive::{source_id, source_type};
use super::enums::{EntryKind, LedgerAdjustment};
use crate::graphql::directory::Deputy;
use crate::graphql::error::ApiResult;
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::DeputyKey;
use crate::graphql::{ContextExt, ids};
use async_graphql::{Context, ID, InputObject, Object};
use chrono::NaiveDate;
use edaibiao_domain::duty::points::{Adjustment, LedgerLine as Line, PointRule as Rule};
use edaibiao_domain::duty::record::check_rules_reader;
use edaibiao_infra::duty::{self, PointRuleInput as StoreInput, RankedLedger, Source};

/// One version of the points for one kind of entry; versions are never edited, a new one takes over from
/// its day.
pub struct PointRule(pub Rule);

/// One version of the points for one kind of entry; versions are never edited, a new one takes over from
/// its day.
#[Object]
impl PointRule {
    /// Global ID of this version.
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::PointRule, self.0.id)
    }
    /// The kind of entry it scores.
    async fn kind(&self) -> EntryKind {
        self.0.kind.into()
    }
    /// Points per entry; negative for a deduction.
    async fn points(&self) -> i32 {
        self.0.points
    }
    /// The most a deputy gains (or loses) from this kind in one year; null for no cap.
    async fn yearly_cap(&self) -> Option<u32> {
        self.0.yearly_cap
    }
    /// In force for entries dated on or after this day, until a later version of the same kind.
    async fn effective_from(&self) -> NaiveDate {
        self.0.effective_from
    }
}

/// A new version of a point rule.
#[derive(InputObject)]
pub struct PointRuleInput {
    /// The congress.
    pub congress_id: ID,
    /// The kind of entry.
    pub kind: EntryKind,
    /// Points per entry, −100 to 100; negative for a deduction.
    pub points: i32,
    /// The most gained (or lost) from this kind per year, 1–1,000; leave out for no cap.
    pub yearly_cap: Option<u32>,
    /// The day it takes effect; at most one version of a kind per day.
    pub effective_from: NaiveDate,
}

/// One scored entry of a ledger.
pub struct LedgerLine(Line);

/// One scored entry of a ledger.
#[Object]
impl LedgerLine {
    /// What the entry counts as.
    async fn kind(&self) -> EntryKind {
        self.0.entry.kind.into()
    }
    /// The day of the entry (China Standard Time).
    async fn date(&self) -> NaiveDate {
        self.0.entry.date
    }
    /// The reason: what the entry was.
    async fn note(&self) -> &str {
        &self.0.entry.note
    }
    /// The global ID of the record it comes from.
    async fn source_id(&self) -> ID {
        source_id(Source::of_entry(self.0.entry.kind, self.0.entry.source_id))
    }
    /// The GraphQL type of that record.
    async fn source_type(&self) -> &'static str {
        source_type(Source::of_entry(self.0.entry.kind, self.0.entry.source_id))
    }
    /// The rule version applied; null when none was in force.
    async fn rule(&self) -> Option<PointRule> {
        self.0.rule.clone().map(PointRule)
    }
    /// Points that counted toward the total.
    async fn awarded(&self) -> i32 {
        self.0.awarded
    }
    /// Why it earned less than its rule says, if it did.
    async fn adjustment(&self) -> Option<LedgerAdjustment> {
        self.0.adjustment.map(|a| match a {
            Adjustment::NoRuleInForce => LedgerAdjustment::NoRule,
            Adjustment::CappedAt { .. } => LedgerAdjustment::CapCut,
        })
    }
    /// For a cap cut: the points not counted.
    async fn cut(&self) -> Option<i32> {
        match self.0.adjustment {
            Some(Adjustment::CappedAt { cut, .. }) => Some(cut),
            _ => None,
        }
    }
}

/// A deputy's points (积分) for one year: every line with its reason, source and rule version, the total,
/// and the rank within the congress and the deputy group (equal totals share a rank).
pub struct PointsLedger(RankedLedger);

/// A deputy's points (积分) for one year: every line with its reason, source and rule version, the total,
/// and the rank within the congress and the deputy group (equal totals share a rank).
#[Object]
impl PointsLedger {
    /// The deputy.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.ledger.deputy_id)).await?.map(Deputy))
    }
    /// The calendar year.
    async fn year(&self) -> i32 {
        self.0.ledger.ledger.year
    }
    /// The lines, by date.
    async fn lines(&self) -> Vec<LedgerLine> {
        self.0.ledger.ledger.lines.iter().cloned().map(LedgerLine).collect()
    }
    /// The sum of the lines.
    async fn total(&self) -> i64 {
        self.0.ledger.ledger.total
    }
    /// Rank among the congress's deputies (1 is highest).
    async fn congress_rank(&self) -> u32 {
        self.0.ledger.congress_rank
    }
    /// How many deputies the congress rank is out of.
    async fn congress_size(&self) -> u32 {
        self.0.congress_size
    }
    /// Rank within the deputy group; null when the deputy is in none.
    async fn group_rank(&self) -> Option<u32> {
        self.0.ledger.group_rank
    }
    /// How many deputies the group rank is out of.
    async fn group_size(&self) -> Option<u32> {
        self.0.group_size
    }
}

/// A rule version for `node(id)`: for its congress's staff and deputies, as `pointRules`; null for everyone
/// else.
pub async fn point_rule_node(ctx: &Context<'_>, id: uuid::Uuid) -> ApiResult<Option<PointRule>> {
    let actor = ctx.actor()?;
    Ok(duty::point_rule_for(&ctx.services()?.store.db, actor, id).await?.map(PointRule))
}

#[derive(Default)]
pub struct PointsQuery;

#[Object]
impl PointsQuery {
    /// A deputy's points ledger for a calendar year; for the deputy, staff of their congress and admins.
    async fn points_ledger(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the deputy.")] deputy_id: ID,
        #[graphql(desc = "Calendar year (China Standard Time), e.g. 2025.")] year: i32,
    ) -> ApiResult<PointsLedger> {
        let actor = ctx.actor()?;
        let deputy_id = ids::decode(NodeKind::Deputy, "deputyId", &deputy_id)?;
        Ok(PointsLedger(duty::points_ledger(&ctx.services()?.store.db, actor, deputy_id, year).await?))
    }

    /// Every version of a congress's point rules, by kind and day; for its staff and deputies.
    async fn point_rules(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the congress.")] congress_id: ID,
    ) -> ApiResult<Vec<PointRule>> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &congress_id)?;
        check_rules_reader(actor, congress_id)?;
        let rules = duty::point_rules(&ctx.services()?.store.db, congress_id).await?;
        Ok(rules.into_iter().map(PointRule).collect())
    }
}

#[derive(Default)]
pub struct PointsMutation;

#[Object]
impl PointsMutation {
    /// Staff add a version of a point rule, in force from its day; every ledger is recomputed with it, and
    /// each line names the version it used. CONFLICT when the kind already has a version from that day.
    async fn set_point_rule(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The details, as `PointRuleInput` describes them.")] input: PointRuleInput,
    ) -> ApiResult<PointRule> {
        let actor = ctx.actor()?;
        let congress_id = ids::decode(NodeKind::Congress, "congressId", &input.congress_id)?;
        let input = StoreInput {
            congress_id,
            kind: input.kind.into(),
            points: input.points,
            yearly_cap: input.yearly_cap,
            effective_from: input.effective_from,
        };
        Ok(PointRule(duty::set_point_rule(&ctx.services()?.store, actor, input).await?))
    }
}
