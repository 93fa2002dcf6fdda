//! Relay cursor connections over the infra layer's keyset pages.

use super::error::{ApiError, ApiResult};
use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::{OutputType, SimpleObject};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edaibiao_infra::{Page, PageRequest};
use uuid::Uuid;

/// Fields every connection has besides edges and page info.
#[derive(SimpleObject)]
pub struct ConnectionTotals {
    /// How many items match the filter, on all pages together.
    pub total_count: u64,
}

/// A page of `T` with opaque cursors.
pub type Conn<T> = Connection<String, T, ConnectionTotals, EmptyFields>;

fn cursor_of(id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(id.as_bytes())
}

fn parse_cursor(cursor: &str) -> ApiResult<Uuid> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| Uuid::from_slice(&bytes).ok())
        .ok_or_else(|| ApiError::bad_input("after", "is not a cursor from this list"))
}

/// Reads `first` and `after` into a page request; the page-size rule ([`edaibiao_infra::page::MAX_PAGE`])
/// lives in [`PageRequest::parse`].
pub fn page_request(first: Option<i32>, after: Option<String>) -> ApiResult<PageRequest> {
    let after = after.as_deref().map(parse_cursor).transpose()?;
    Ok(PageRequest::parse(first, after)?)
}

/// The cost of a page field for the complexity limit: its page size (`first` as the page rule reads it,
/// out-of-range values counted at the nearest bound, which the rule then refuses) times the cost of one item.
pub fn page_cost(first: Option<i32>, child: usize) -> usize {
    let (default, max) = (edaibiao_infra::page::DEFAULT_PAGE, edaibiao_infra::page::MAX_PAGE);
    let size = first.map_or(default, |n| u64::try_from(n).unwrap_or(0).min(max));
    usize::try_from(size).unwrap_or(usize::MAX).saturating_mul(child)
}

/// Builds a connection from a page, wrapping each row into its GraphQL type.
pub fn connection<M, T: OutputType>(
    page: Page<M>,
    request: PageRequest,
    id_of: impl Fn(&M) -> Uuid,
    wrap: impl Fn(M) -> T,
) -> Conn<T> {
    let mut conn = Connection::with_additional_fields(
        request.after.is_some(),
        page.has_next_page,
        ConnectionTotals { total_count: page.total_count },
    );
    conn.edges.extend(page.items.into_iter().map(|item| Edge::new(cursor_of(id_of(&item)), wrap(item))));
    conn
}
