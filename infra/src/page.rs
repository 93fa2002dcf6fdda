//! Keyset pagination: a page is "the next `first` items after this id", ordered by id. Ids are UUIDv7,
//! so id order is creation order, and a cursor stays valid while rows are added.

use uuid::Uuid;

use edaibiao_domain::DomainError;

/// The largest page a client may ask for; a larger `first` is refused, not clamped.
pub const MAX_PAGE: u64 = 100;

/// The page size when a client does not say.
pub const DEFAULT_PAGE: u64 = 20;

/// The slice a client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<Uuid>,
}

impl Default for PageRequest {
    /// The first page of [`DEFAULT_PAGE`] items.
    fn default() -> Self {
        Self { first: DEFAULT_PAGE, after: None }
    }
}

impl PageRequest {
    /// Reads a client's `first`: missing means [`DEFAULT_PAGE`], 0 means 1, a negative number or one above
    /// [`MAX_PAGE`] is refused (`Invalid` on `first`).
    pub fn parse(first: Option<i32>, after: Option<Uuid>) -> Result<Self, DomainError> {
        let first = match first {
            None => DEFAULT_PAGE,
            Some(n) if n < 0 => return Err(DomainError::invalid("first", "must not be negative")),
            Some(n) => u64::try_from(n).unwrap_or(0).max(1),
        };
        if first > MAX_PAGE {
            return Err(DomainError::invalid("first", format!("must be at most {MAX_PAGE}")));
        }
        Ok(Self { first, after })
    }

    /// A page request built in process (tests, jobs), not from client input: `first` is clamped to
    /// 1..=[`MAX_PAGE`], a missing `first` means [`DEFAULT_PAGE`]. Client input goes through
    /// [`PageRequest::parse`], which refuses what this clamps.
    pub fn new(first: Option<i32>, after: Option<Uuid>) -> Self {
        let first = first.map_or(DEFAULT_PAGE, |n| u64::try_from(n.max(1)).unwrap_or(1)).min(MAX_PAGE);
        Self { first, after }
    }
}

/// One page of results.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    /// How many items match the filter in all.
    pub total_count: u64,
}

impl<T> Page<T> {
    /// Builds a page from a query that fetched `first + 1` rows: the extra row only says there is more.
    pub fn from_overfetch(mut items: Vec<T>, request: PageRequest, total_count: u64) -> Self {
        let has_next_page = items.len() as u64 > request.first;
        items.truncate(usize::try_from(request.first).unwrap_or(usize::MAX));
        Self { items, has_next_page, total_count }
    }

    /// The same page with each item turned into another (a row into its read model); the first failure
    /// fails the page.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        let items = self.items.into_iter().map(f).collect::<Result<_, _>>()?;
        Ok(Page { items, has_next_page: self.has_next_page, total_count: self.total_count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_refuses_what_it_cannot_serve() {
        assert_eq!(PageRequest::parse(None, None).map(|r| r.first), Ok(DEFAULT_PAGE));
        assert_eq!(PageRequest::parse(Some(0), None).map(|r| r.first), Ok(1));
        assert_eq!(PageRequest::parse(Some(100), None).map(|r| r.first), Ok(MAX_PAGE));
        assert_eq!(
            PageRequest::parse(Some(101), None),
            Err(DomainError::invalid("first", "must be at most 100"))
        );
        assert_eq!(
            PageRequest::parse(Some(-5), None),
            Err(DomainError::invalid("first", "must not be negative"))
        );
    }

    #[test]
    fn in_process_requests_are_clamped() {
        assert_eq!(PageRequest::new(None, None).first, DEFAULT_PAGE);
        assert_eq!(PageRequest::new(Some(0), None).first, 1);
        assert_eq!(PageRequest::new(Some(-5), None).first, 1);
        assert_eq!(PageRequest::new(Some(1000), None).first, MAX_PAGE);
        assert_eq!(PageRequest::default(), PageRequest::new(None, None));
    }

    #[test]
    fn overfetch_tells_whether_there_is_more() {
        let request = PageRequest::new(Some(2), None);
        let page = Page::from_overfetch(vec![1, 2, 3], request, 10);
        assert_eq!(page.items, vec![1, 2]);
        assert!(page.has_next_page);
        let last = Page::from_overfetch(vec![1, 2], request, 2);
        assert!(!last.has_next_page);
    }
}
