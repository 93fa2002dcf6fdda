//! The duty record (履职) in storage: the archive assembled from the system's own records, self-reported
//! entries, the points rule table and ledgers, and quotas with their reminders.
//!
//! No ledger is stored: the archive is read from suggestions, opinions, reception days, activities and
//! verified self-reported entries each time, and a ledger is scored from those entries and the whole rule
//! table, so a rule change recomputes every year it touches while each line still names the rule version
//! it used. What a suggestion's timeline says for the archive (its first submission, its official ratings of
//! SATISFIED) is kept on narrow rows with each change (`suggestions::duty_facts`), so a congress-year is
//! read from indexes rather than from the timelines. Tables of every deputy's points
//! ([`ledger_totals`]) do not load the entries at all: the database counts them by deputy and by stretch
//! of the rule table, and the domain scores the counts to the same totals.

mod archive;
mod entries;
mod points;
pub mod quotas;

pub use archive::{ArchiveItem, Section, Source, SuggestionOutcome};
pub use entries::{
    DutyEntry, NewEntryInput, add_entry, decide_entry, entry_for, list_entries, load_entry, record_speech,
};
pub use points::{
    DEFAULT_RULES, PointRuleInput, point_rule_for, point_rules, rule_table, seed_default_rules,
    set_point_rule,
};

use crate::entity::deputy;
use crate::error::Result;
use crate::page::{Page, PageRequest};
use chrono::{NaiveDate, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::points::{EntryKind, Ledger, PointEntry, RuleTable, rank, score, total};
use edaibiao_domain::duty::record::{may_read_record, trail_period};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// A deputy's scored year with their rank in the congress and in their deputy group.
#[derive(Debug, Clone)]
pub struct DeputyLedger {
    pub deputy_id: Uuid,
    pub name: String,
    pub deputy_group_id: Option<Uuid>,
    pub ledger: Ledger,
    pub congress_rank: u32,
    pub group_rank: Option<u32>,
}

/// A deputy's ledger with the sizes its ranks are out of.
#[derive(Debug, Clone)]
pub struct RankedLedger {
    pub ledger: DeputyLedger,
    pub congress_size: u32,
    /// Deputies in the deputy group, if the deputy is in one.
    pub group_size: Option<u32>,
}

/// The countable archive entries of the congress's deputies (or of one deputy) dated in `year`, by deputy.
/// A fixed number of queries whatever the number of deputies.
pub async fn archive_entries(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    deputy: Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<PointEntry>>> {
    entries(db, congress_id, year, deputy).await
}

/// The countable archive entries by deputy.
async fn entries(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    deputy: Option<Uuid>,
) -> Result<HashMap<Uuid, Vec<PointEntry>>> {
    let items = archive::items(db, congress_id, year, deputy, false, Utc::now()).await?;
    let mut out: HashMap<Uuid, Vec<PointEntry>> = HashMap::new();
    for item in items {
        let Some(kind) = item.kind else { continue };
        out.entry(item.deputy_id).or_default().push(PointEntry {
            kind,
            date: item.date,
            source_id: item.source.id(),
            note: item.title,
        });
    }
    Ok(out)
}

/// Every deputy of the congress with their ledger for `year` and their ranks.
pub async fn ledgers(db: &impl ConnectionTrait, congress_id: Uuid, year: i32) -> Result<Vec<DeputyLedger>> {
    scored(db, congress_id, year).await
}

/// A deputy's points for a year and their ranks, without the ledger's lines: for tables of every deputy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedTotal {
    pub deputy_id: Uuid,
    pub deputy_group_id: Option<Uuid>,
    pub total: i64,
    pub congress_rank: u32,
    pub group_rank: Option<u32>,
    /// How many entries of each kind counted (those scored nothing included): the table's suggestions led
    /// and co-signed are the duty record's.
    pub entries: HashMap<EntryKind, u64>,
}

impl RankedTotal {
    /// The entries of `kind` that counted.
    pub fn entries_of(&self, kind: EntryKind) -> u64 {
        self.entries.get(&kind).copied().unwrap_or(0)
    }
}

/// Every deputy of the congress with the total [`ledgers`] gives them for `year` and their ranks, from
/// the entries tallied in the database (`archive::tallies`) rather than loaded one by one: a few rows per
/// deputy, whatever their number of suggestions and opinions.
pub async fn ledger_totals(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
) -> Result<Vec<RankedTotal>> {
    totals_under(db, congress_id, year, &rule_table(db, congress_id).await?).await
}

/// [`ledger_totals`] under the congress's `rules`, already read.
async fn totals_under(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
    rules: &RuleTable,
) -> Result<Vec<RankedTotal>> {
    let stretches = rules.stretches(year);
    let (mut tallies, deputies) =
        tokio::try_join!(archive::tallies(db, congress_id, year, &stretches, Utc::now()), async {
            deputy::Entity::find()
                .select_only()
                .columns([deputy::Column::Id, deputy::Column::DeputyGroupId])
                .filter(deputy::Column::CongressId.eq(congress_id))
                .order_by_asc(deputy::Column::Id)
                .into_tuple::<(Uuid, Option<Uuid>)>()
                .all(db)
                .await
                .map_err(crate::Error::from)
        },)?;
    let mut scored = Vec::with_capacity(deputies.len());
    for (id, group) in deputies {
        let tallies = tallies.remove(&id).unwrap_or_default();
        let mut entries: HashMap<EntryKind, u64> = HashMap::new();
        for t in &tallies {
            *entries.entry(t.kind).or_default() += t.count;
        }
        scored.push(((id, group, total(&tallies, rules, year)), entries));
    }
    let ranks = ranks(&scored.iter().map(|(t, _)| *t).collect::<Vec<_>>());
    Ok(scored
        .into_iter()
        .map(|((deputy_id, deputy_group_id, total), entries)| {
            let (congress_rank, group_rank) = ranks.get(&deputy_id).copied().unwrap_or((1, None));
            RankedTotal { deputy_id, deputy_group_id, total, congress_rank, group_rank, entries }
        })
        .collect())
}

/// Each deputy's rank in the congress and in their deputy group, from (deputy, group, total).
fn ranks(totals: &[(Uuid, Option<Uuid>, i64)]) -> HashMap<Uuid, (u32, Option<u32>)> {
    let all: Vec<(Uuid, i64)> = totals.iter().map(|(id, _, t)| (*id, *t)).collect();
    let mut by_group: HashMap<Uuid, Vec<(Uuid, i64)>> = HashMap::new();
    for (id, group, t) in totals {
        if let Some(g) = group {
            by_group.entry(*g).or_default().push((*id, *t));
        }
    }
    let mut out: HashMap<Uuid, (u32, Option<u32>)> =
        rank(&all).into_iter().map(|(id, _, r)| (id, (r, None))).collect();
    for (id, _, r) in by_group.values().flat_map(|members| rank(members)) {
        if let Some(ranked) = out.get_mut(&id) {
            ranked.1 = Some(r);
        }
    }
    out
}

async fn scored(db: &impl ConnectionTrait, congress_id: Uuid, year: i32) -> Result<Vec<DeputyLedger>> {
    let rules = rule_table(db, congress_id).await?;
    let mut entries = entries(db, congress_id, year, None).await?;
    let deputies = deputy::Entity::find()
        .filter(deputy::Column::CongressId.eq(congress_id))
        .order_by_asc(deputy::Column::Id)
        .all(db)
        .await?;
    let scored: Vec<(deputy::Model, Ledger)> = deputies
        .into_iter()
        .map(|d| {
            let ledger = score(&entries.remove(&d.id).unwrap_or_default(), &rules, year);
            (d, ledger)
        })
        .collect();
    let ranks = ranks(&scored.iter().map(|(d, l)| (d.id, d.deputy_group_id, l.total)).collect::<Vec<_>>());
    Ok(scored
        .into_iter()
        .map(|(d, ledger)| {
            let (congress_rank, group_rank) = ranks.get(&d.id).copied().unwrap_or((1, None));
            DeputyLedger {
                congress_rank,
                group_rank,
                deputy_id: d.id,
                name: d.name,
                deputy_group_id: d.deputy_group_id,
                ledger,
            }
        })
        .collect())
}

/// One deputy's ledger for `year`, ranked among their congress; `None` for an unknown deputy.
pub async fn ledger(db: &impl ConnectionTrait, deputy_id: Uuid, year: i32) -> Result<Option<DeputyLedger>> {
    Ok(ranked_ledger(db, deputy_id, year).await?.map(|r| r.ledger))
}

/// One deputy's ledger with the sizes of the congress and group it is ranked in: the deputy's lines, ranked
/// among every deputy's totals ([`ledger_totals`], which give the same totals).
pub async fn ranked_ledger(
    db: &impl ConnectionTrait,
    deputy_id: Uuid,
    year: i32,
) -> Result<Option<RankedLedger>> {
    let Some(d) = deputy::Entity::find_by_id(deputy_id).one(db).await? else { return Ok(None) };
    // Both read a dozen sources at once: boxed, their futures do not pile up on the worker's stack.
    let rules = rule_table(db, d.congress_id).await?;
    let (mut entries, all) = tokio::try_join!(
        Box::pin(entries(db, d.congress_id, year, Some(deputy_id))),
        Box::pin(totals_under(db, d.congress_id, year, &rules)),
    )?;
    let congress_size = u32::try_from(all.len()).unwrap_or(u32::MAX);
    let group_size = d.deputy_group_id.map(|g| {
        u32::try_from(all.iter().filter(|t| t.deputy_group_id == Some(g)).count()).unwrap_or(u32::MAX)
    });
    let Some(ranked) = all.into_iter().find(|t| t.deputy_id == deputy_id) else { return Ok(None) };
    let ledger = score(&entries.remove(&deputy_id).unwrap_or_default(), &rules, year);
    Ok(Some(RankedLedger {
        ledger: DeputyLedger {
            deputy_id,
            name: d.name,
            deputy_group_id: d.deputy_group_id,
            ledger,
            congress_rank: ranked.congress_rank,
            group_rank: ranked.group_rank,
        },
        congress_size,
        group_size,
    }))
}

/// A deputy's archive for one year, with everything that shows (not only what counts).
#[derive(Debug, Clone)]
pub struct DutyArchive {
    pub deputy_id: Uuid,
    pub congress_id: Uuid,
    pub year: i32,
    pub items: Vec<ArchiveItem>,
    /// How each suggestion in the archive fared (answers, official ratings).
    pub suggestions: HashMap<Uuid, SuggestionOutcome>,
}

/// The deputy's congress, after checking that `actor` may read the deputy's record.
pub async fn check_record_reader(db: &impl ConnectionTrait, actor: &Actor, deputy_id: Uuid) -> Result<Uuid> {
    let d = deputy::Entity::find_by_id(deputy_id).one(db).await?.ok_or("deputy")?;
    if !may_read_record(actor, deputy_id, d.congress_id) {
        return Err(
            DomainError::forbidden("only the deputy and their congress's staff read this record").into()
        );
    }
    Ok(d.congress_id)
}

/// `dutyArchive`: the deputy's year, for the deputy, their congress's staff and admins.
pub async fn duty_archive(
    db: &impl ConnectionTrait,
    actor: &Actor,
    deputy_id: Uuid,
    year: i32,
) -> Result<DutyArchive> {
    let congress_id = check_record_reader(db, actor, deputy_id).await?;
    let items = archive::items(db, congress_id, year, Some(deputy_id), true, Utc::now()).await?;
    let mut ids: Vec<Uuid> = items
        .iter()
        .filter_map(|i| match i.source {
            Source::Suggestion(id) => Some(id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let suggestions = archive::suggestion_outcomes(db, &ids).await?;
    Ok(DutyArchive { deputy_id, congress_id, year, items, suggestions })
}

/// A page of a deputy's activity trail (代表活动轨迹), with how each suggestion on it fared.
#[derive(Debug, Clone)]
pub struct TrailPage {
    pub page: Page<ArchiveItem>,
    pub suggestions: HashMap<Uuid, SuggestionOutcome>,
}

/// `dutyTrail`: every duty event of the deputy in `year` (narrowed to the days `from`–`to`), in time order:
/// the archive's own items (everything that shows, as `dutyArchive` reads them), paged by
/// [`ArchiveItem::key`]. For the same readers as the archive.
pub async fn duty_trail(
    db: &impl ConnectionTrait,
    actor: &Actor,
    deputy_id: Uuid,
    year: i32,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    request: PageRequest,
) -> Result<TrailPage> {
    let (from, to) = trail_period(year, from, to)?;
    let congress_id = check_record_reader(db, actor, deputy_id).await?;
    let mut items = archive::items(db, congress_id, year, Some(deputy_id), true, Utc::now()).await?;
    items.retain(|i| (from..=to).contains(&i.date));
    let start = match request.after {
        None => 0,
        Some(after) => {
            let at = items.iter().position(|i| i.key() == after);
            at.ok_or_else(|| DomainError::invalid("after", "is not a cursor from this list"))? + 1
        }
    };
    let total_count = items.len() as u64;
    let first = usize::try_from(request.first).unwrap_or(usize::MAX);
    let rest: Vec<ArchiveItem> = items.into_iter().skip(start).take(first.saturating_add(1)).collect();
    let page = Page::from_overfetch(rest, request, total_count);
    let mut ids: Vec<Uuid> = page
        .items
        .iter()
        .filter_map(|i| match i.source {
            Source::Suggestion(id) => Some(id),
            _ => None,
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let suggestions = archive::suggestion_outcomes(db, &ids).await?;
    Ok(TrailPage { page, suggestions })
}

/// `pointsLedger`: the deputy's ledger with ranks, for the same readers as the archive.
pub async fn points_ledger(
    db: &impl ConnectionTrait,
    actor: &Actor,
    deputy_id: Uuid,
    year: i32,
) -> Result<RankedLedger> {
    check_record_reader(db, actor, deputy_id).await?;
    edaibiao_domain::duty::record::year_bounds(year)?;
    Ok(ranked_ledger(db, deputy_id, year).await?.ok_or("deputy")?)
}

/// The public summary of a deputy's year: how many entries of each kind, deductions left out.
pub async fn public_summary(
    db: &impl ConnectionTrait,
    deputy_id: Uuid,
    year: i32,
) -> Result<Vec<(EntryKind, u32)>> {
    edaibiao_domain::duty::record::year_bounds(year)?;
    let congress_id = deputy::Entity::find_by_id(deputy_id).one(db).await?.ok_or("deputy")?.congress_id;
    let entries = archive_entries(db, congress_id, year, Some(deputy_id)).await?;
    let mut counts: HashMap<EntryKind, u32> = HashMap::new();
    for e in entries.get(&deputy_id).into_iter().flatten() {
        if e.kind != EntryKind::ActivityAbsentUnexcused {
            *counts.entry(e.kind).or_default() += 1;
        }
    }
    let mut out: Vec<(EntryKind, u32)> = counts.into_iter().collect();
    out.sort();
    Ok(out)
}
