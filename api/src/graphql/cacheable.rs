//! Which answers the page cache ([`crate::http::page_cache`]) may keep. An answer is kept only when every
//! field it resolved is on the list below: fields whose value is a function of stored rows that change only
//! through writes that move the data epochs (a transaction, a directory change) and of the viewer (the
//! cache's key holds the viewer). Anything else — a value that depends on the clock (`isOverdue`, signed
//! photo URLs), on the client's address, on files, or that counts as an access (rate limits, audits) —
//! marks the request as not cacheable, and so does any field added later until it is listed here.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo};
use async_graphql::{Context, ServerResult, Value};
use edaibiao_domain::account::Actor;
use edaibiao_domain::suggestion::{ListPart, Scope};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Per request, in the request's data: whether a field off the list (or a resolver) spoiled it, and which
/// list parts its kept fields said they read.
#[derive(Default)]
pub struct Probe {
    spoiled: AtomicBool,
    read: Mutex<Option<BTreeSet<ListPart>>>,
}

impl Probe {
    /// Whether every field resolved so far may be kept.
    pub fn cacheable(&self) -> bool {
        !self.spoiled.load(Ordering::Relaxed)
    }

    fn spoil(&self) {
        self.spoiled.store(true, Ordering::Relaxed);
    }

    /// The list parts the answer read, if every root field that reads any said which ([`reads`]); `None`
    /// when none said (then the viewer's [`parts_read`] stand).
    pub fn parts_read(&self) -> Option<Vec<ListPart>> {
        self.read().as_ref().map(|parts| parts.iter().copied().collect())
    }

    fn read(&self) -> std::sync::MutexGuard<'_, Option<BTreeSet<ListPart>>> {
        // Every critical section leaves the set whole; a poisoned lock is usable.
        self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Called by a kept root field with the list parts its answer reads (fewer than the viewer's
/// [`parts_read`], say a deputy's own list without the public part): the answer is kept against those.
pub fn reads(ctx: &Context<'_>, parts: &[ListPart]) {
    if let Some(probe) = ctx.data_opt::<Arc<Probe>>() {
        probe.read().get_or_insert_default().extend(parts.iter().copied());
    }
}

/// Called by a resolver whose answer depends on more than the listed fields show (an argument that
/// compares with the clock, say): this request's answer is not kept.
pub fn not_cacheable(ctx: &Context<'_>) {
    if let Some(probe) = ctx.data_opt::<Arc<Probe>>() {
        probe.spoil();
    }
}

/// Root fields that may be kept. Mutations never reach the cache: none of their names is here. A root
/// added here must show only what moves the global data epoch and the suggestion list parts
/// [`parts_read`] names: a suggestion's step moves only those ([`edaibiao_infra::epoch`]).
const ROOT: &[&str] = &["suggestions"];

/// The list parts a viewer's kept answers may read, whose epochs the page cache reads before running a
/// query besides the global one: those of every suggestion the viewer may list. An answer is kept against
/// those its fields said they read ([`reads`]), which must be among these.
pub fn parts_read(viewer: Option<&Actor>) -> Vec<ListPart> {
    viewer.map(|actor| Scope::of(actor).parts(false)).unwrap_or_default()
}

/// `(type, fields)` that may be kept below a listed root field.
const FIELDS: &[(&str, &[&str])] = &[
    ("SuggestionConnection", &["edges", "nodes", "pageInfo", "totalCount"]),
    ("SuggestionEdge", &["cursor", "node"]),
    ("PageInfo", &["endCursor", "hasNextPage", "hasPreviousPage", "startCursor"]),
    (
        "Suggestion",
        &[
            "assignedAt",
            "category",
            "coSigners",
            "content",
            "createdAt",
            "dueAt",
            "handlingMode",
            "id",
            "leadDeputy",
            "mergedIntoId",
            "mergedSuggestionIds",
            "recessYear",
            "serialNumber",
            "sessionNumber",
            "state",
            "title",
            "units",
            "version",
        ],
    ),
    ("CoSigner", &["deputy", "id", "status"]),
    ("HandlingPart", &["accepted", "id", "rehandleCount", "role", "unit"]),
    ("Deputy", &["gender", "id", "name", "occupation"]),
    ("HandlingUnit", &["description", "id", "name"]),
];

/// Whether field `name` of `parent_type` may be kept; root fields are known by having no parent path.
fn listed(info: &ResolveInfo<'_>) -> bool {
    if info.path_node.parent.is_none() {
        return ROOT.contains(&info.name);
    }
    // async-graphql also reports each item of a list, with the list as the "parent" (`[HandlingPart!]`)
    // and the list's field as the name: the field itself was judged already.
    if info.parent_type.starts_with('[') {
        return true;
    }
    FIELDS.iter().any(|(ty, fields)| *ty == info.parent_type && fields.contains(&info.name))
}

/// The schema extension that watches every resolved field of requests that carry a [`Probe`].
pub struct Cacheability;

impl ExtensionFactory for Cacheability {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(CacheabilityExtension)
    }
}

struct CacheabilityExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for CacheabilityExtension {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if let Some(probe) = ctx.data_opt::<Arc<Probe>>()
            && probe.cacheable()
            && !listed(&info)
        {
            probe.spoil();
        }
        next.run(ctx, info).await
    }
}
