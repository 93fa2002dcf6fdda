//! Keyset pagination: a page is "the next `first` items after this id", ordered by id. Ids are UUIDv7,
//! so id order is creation order, and a cursor stays valid while rows are added.

use uuid::Uuid;

/// At most this many items per page, whatever the client asks for.
pub const MAX_PAGE: u64 = 100;

/// The slice a client asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub first: u64,
    pub after: Option<Uuid>,
}

impl PageRequest {
    /// Clamps `first` to 1..=[`MAX_PAGE`]; a missing `first` means 20.
    pub fn new(first: Option<i32>, after: Option<Uuid>) -> Self {
        let first = first.map_or(20, |n| u64::try_from(n.max(1)).unwrap_or(1)).min(MAX_PAGE);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_page_size() {
        assert_eq!(PageRequest::new(None, None).first, 20);
        assert_eq!(PageRequest::new(Some(0), None).first, 1);
        assert_eq!(PageRequest::new(Some(-5), None).first, 1);
        assert_eq!(PageRequest::new(Some(1000), None).first, MAX_PAGE);
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
