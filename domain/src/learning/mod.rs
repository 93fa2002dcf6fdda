//! Learning (在线学习), documents to look up (资料查询) and the congress's news feed (人大工作动态).
//!
//! Staff of a congress publish [`NewMaterial`]s to an [`MaterialAudience`] (all its deputies, one deputy
//! group, or named deputies); a material of the TRAINING_COURSES category is a course, which each deputy in
//! its audience marks completed once (the completion is a COURSE_COMPLETED entry of their duty archive).
//! Staff also publish [`NewDocument`]s (laws, reports, rules; a public one is readable by anyone) and
//! [`NewNewsItem`]s (an important one is pushed to the congress's deputies).

use crate::DomainError;
use crate::account::{Actor, Role};
use crate::text::{Body, Title, bounded, optional, web_url};
use uuid::Uuid;

#[cfg(test)]
mod tests;

/// The notification kinds written here.
pub mod kinds {
    /// A material was published to the deputy.
    pub const MATERIAL_PUBLISHED: &str = "LEARNING_MATERIAL_PUBLISHED";
    /// An important news item was published.
    pub const NEWS_IMPORTANT: &str = "NEWS_IMPORTANT";
}

vocabulary!(
    /// What a learning material is.
    MaterialKind {
        /// A text article, read in the app.
        Article = "ARTICLE",
        /// A PDF, by its URL (an uploaded file waits for attachments).
        Pdf = "PDF",
        /// A video, by its https URL.
        Video = "VIDEO",
    }
);

vocabulary!(
    /// What a learning material or a document is about.
    MaterialCategory {
        /// 法律法规.
        LawsAndRegulations = "LAWS_AND_REGULATIONS",
        /// 工作报告.
        WorkReports = "WORK_REPORTS",
        /// 培训课程: a material of this category is a course, completed by each deputy of its audience.
        TrainingCourses = "TRAINING_COURSES",
        /// 人大制度 (the congress's own rules).
        CongressRules = "CONGRESS_RULES",
    }
);

vocabulary!(
    /// Who a material is published to, as stored.
    AudienceKind {
        AllDeputies = "ALL_DEPUTIES",
        DeputyGroup = "DEPUTY_GROUP",
        Assigned = "ASSIGNED",
    }
);

/// The most deputies a material is assigned to by name.
pub const MAX_ASSIGNED: usize = 500;
/// The longest material or document URL.
pub const MAX_URL_CHARS: usize = 2000;
/// The most time a deputy reports having spent on a course in one completion: 24 hours.
pub const MAX_SECONDS_SPENT: i32 = 86_400;

/// Who a material is for. Staff of its congress always see it; nobody outside the congress does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaterialAudience {
    /// Every deputy of the congress.
    AllDeputies,
    /// The deputies of one deputy group (代表团/代表小组).
    Group(Uuid),
    /// Named deputies (1 to [`MAX_ASSIGNED`], no repeats).
    Assigned(Vec<Uuid>),
}

impl MaterialAudience {
    /// Checks the named deputies: at least one, at most [`MAX_ASSIGNED`]; repeats are dropped.
    pub fn assigned(mut deputies: Vec<Uuid>) -> Result<Self, DomainError> {
        deputies.sort_unstable();
        deputies.dedup();
        if deputies.is_empty() {
            return Err(DomainError::invalid("deputyIds", "name at least one deputy"));
        }
        if deputies.len() > MAX_ASSIGNED {
            return Err(DomainError::invalid("deputyIds", format!("at most {MAX_ASSIGNED} deputies")));
        }
        Ok(Self::Assigned(deputies))
    }

    /// The audience a publisher names: ALL_DEPUTIES with neither a group nor deputies, DEPUTY_GROUP with
    /// its group, ASSIGNED with its deputies (see [`Self::assigned`]).
    pub fn parse(kind: AudienceKind, group: Option<Uuid>, deputies: Vec<Uuid>) -> Result<Self, DomainError> {
        match kind {
            AudienceKind::AllDeputies if group.is_none() && deputies.is_empty() => Ok(Self::AllDeputies),
            AudienceKind::AllDeputies => {
                Err(DomainError::invalid("audience", "ALL_DEPUTIES takes neither a group nor deputies"))
            }
            AudienceKind::DeputyGroup => match (group, deputies.is_empty()) {
                (Some(group), true) => Ok(Self::Group(group)),
                _ => {
                    Err(DomainError::invalid("deputyGroupId", "DEPUTY_GROUP takes one group and no deputies"))
                }
            },
            AudienceKind::Assigned if group.is_none() => Self::assigned(deputies),
            AudienceKind::Assigned => Err(DomainError::invalid("deputyGroupId", "ASSIGNED takes no group")),
        }
    }

    pub fn kind(&self) -> AudienceKind {
        match self {
            Self::AllDeputies => AudienceKind::AllDeputies,
            Self::Group(_) => AudienceKind::DeputyGroup,
            Self::Assigned(_) => AudienceKind::Assigned,
        }
    }
}

/// A material as staff publish it, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMaterial {
    pub title: Title,
    /// An article's text, or a PDF's or video's description (may be empty for those).
    pub body: String,
    pub kind: MaterialKind,
    pub category: MaterialCategory,
    /// A PDF's http(s) URL or a video's https URL; none for an article.
    pub url: Option<String>,
}

impl NewMaterial {
    /// An article needs its text (1–20,000 characters) and takes no URL; a PDF needs an http(s) URL and a
    /// video an https URL (at most 2,000 characters), each with an optional description.
    pub fn parse(
        title: &str,
        body: Option<&str>,
        kind: MaterialKind,
        category: MaterialCategory,
        url: Option<&str>,
    ) -> Result<Self, DomainError> {
        let title = Title::parse("title", title)?;
        let body = match kind {
            MaterialKind::Article => Body::parse("body", body.unwrap_or_default())?.into_string(),
            MaterialKind::Pdf | MaterialKind::Video => {
                optional("body", body, Body::MAX_CHARS)?.unwrap_or_default()
            }
        };
        let url = optional("url", url, MAX_URL_CHARS)?;
        let url = match (kind, url) {
            (MaterialKind::Article, None) => None,
            (MaterialKind::Article, Some(_)) => {
                return Err(DomainError::invalid("url", "an article has no URL"));
            }
            (_, None) => return Err(DomainError::invalid("url", "a PDF or video needs its URL")),
            (MaterialKind::Pdf, Some(url)) => Some(web_url("url", &url)?),
            (MaterialKind::Video, Some(url)) => {
                if !url.starts_with("https://") {
                    return Err(DomainError::invalid("url", "a video URL must be https"));
                }
                Some(web_url("url", &url)?)
            }
        };
        Ok(Self { title, body, kind, category, url })
    }

    /// A course is a material of the TRAINING_COURSES category.
    pub fn is_course(&self) -> bool {
        is_course(self.category)
    }
}

/// A material of the TRAINING_COURSES category is a course: its audience marks it completed.
pub fn is_course(category: MaterialCategory) -> bool {
    category == MaterialCategory::TrainingCourses
}

/// Staff of the congress (and admins) publish its materials, documents and news.
pub fn check_publisher(actor: &Actor, congress_id: Uuid) -> Result<(), DomainError> {
    if actor.is_staff_of(congress_id) {
        Ok(())
    } else {
        Err(DomainError::forbidden("only staff of the congress publish its materials, documents and news"))
    }
}

/// What storage knows of the viewing deputy: their deputy group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ViewerFacts {
    pub deputy_group_id: Option<Uuid>,
}

/// Who sees a material: staff of its congress (and admins) always; a deputy of the congress when the
/// audience is all deputies, their deputy group, or names them; nobody else (other congresses, units,
/// stations, citizens, anonymous).
pub fn may_see_material(
    actor: Option<&Actor>,
    congress_id: Uuid,
    audience: &MaterialAudience,
    viewer: ViewerFacts,
) -> bool {
    let Some(actor) = actor else { return false };
    if actor.is_staff_of(congress_id) {
        return true;
    }
    let Some(deputy_id) = deputy_of(actor, congress_id) else { return false };
    match audience {
        MaterialAudience::AllDeputies => true,
        MaterialAudience::Group(group) => viewer.deputy_group_id == Some(*group),
        MaterialAudience::Assigned(deputies) => deputies.contains(&deputy_id),
    }
}

/// Who reads a material now: while it stands, those of [`may_see_material`]; once withdrawn, only staff of
/// its congress (and admins), for its history and course progress. It has left everyone's lists and
/// search.
pub fn may_read_material(
    actor: Option<&Actor>,
    congress_id: Uuid,
    audience: &MaterialAudience,
    viewer: ViewerFacts,
    withdrawn: bool,
) -> bool {
    if withdrawn {
        actor.is_some_and(|a| a.is_staff_of(congress_id))
    } else {
        may_see_material(actor, congress_id, audience, viewer)
    }
}

/// Staff editing or withdrawing a material: NOT_FOUND for someone who does not read it (its existence does
/// not leak), FORBIDDEN for a deputy who reads it, CONFLICT once it is withdrawn (a withdrawn material is
/// changed no more; withdrawing twice is a conflict, which a retry with the same idempotency key avoids).
pub fn check_change(
    actor: &Actor,
    congress_id: Uuid,
    reads: bool,
    withdrawn: bool,
) -> Result<(), DomainError> {
    if !reads {
        return Err(DomainError::NotFound("learning material"));
    }
    check_publisher(actor, congress_id)?;
    if withdrawn {
        return Err(DomainError::conflict("the material has been withdrawn"));
    }
    Ok(())
}

/// The deputy profile of a deputy of `congress_id`.
fn deputy_of(actor: &Actor, congress_id: Uuid) -> Option<Uuid> {
    match (actor.role, actor.congress_id, actor.deputy_id) {
        (Role::Deputy, Some(c), Some(d)) if c == congress_id => Some(d),
        _ => None,
    }
}

/// The time a deputy reports having spent on a course: none, or 1 second to 24 hours.
pub fn seconds_spent(raw: Option<i32>) -> Result<Option<i32>, DomainError> {
    match raw {
        None => Ok(None),
        Some(s) if (1..=MAX_SECONDS_SPENT).contains(&s) => Ok(Some(s)),
        Some(_) => Err(DomainError::invalid("secondsSpent", "must be between 1 and 86400")),
    }
}

/// A deputy marking a material completed: it must be a course they see (NOT_FOUND for a material they do
/// not see or that was withdrawn, so its existence does not leak; BAD_USER_INPUT for a material that is not a course). Returns
/// the deputy.
pub fn check_completion(
    actor: &Actor,
    congress_id: Uuid,
    category: MaterialCategory,
    audience: &MaterialAudience,
    viewer: ViewerFacts,
    withdrawn: bool,
) -> Result<Uuid, DomainError> {
    let Some(deputy_id) = deputy_of(actor, congress_id) else {
        return Err(if actor.is_staff_of(congress_id) {
            DomainError::forbidden("only deputies complete courses")
        } else {
            DomainError::NotFound("learning material")
        });
    };
    if !may_read_material(Some(actor), congress_id, audience, viewer, withdrawn) {
        return Err(DomainError::NotFound("learning material"));
    }
    if !is_course(category) {
        return Err(DomainError::invalid("id", "only a course (TRAINING_COURSES) is completed"));
    }
    Ok(deputy_id)
}

/// Who sees a congress's news feed: its staff (admins too) and its deputies.
pub fn may_read_news(actor: Option<&Actor>, congress_id: Uuid) -> bool {
    actor.is_some_and(|a| a.is_staff_of(congress_id) || deputy_of(a, congress_id).is_some())
}

/// A news item as staff publish it: a title, its text, and whether it is important (pushed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNewsItem {
    pub title: Title,
    pub body: Body,
    pub important: bool,
}

impl NewNewsItem {
    pub fn parse(title: &str, body: &str, important: bool) -> Result<Self, DomainError> {
        Ok(Self { title: Title::parse("title", title)?, body: Body::parse("body", body)?, important })
    }
}

/// The longest document text (a whole law or report): 200,000 characters.
pub const MAX_DOCUMENT_CHARS: usize = 200_000;

/// A document to look up (a law, a work report, a rule), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub title: Title,
    pub body: String,
    pub category: MaterialCategory,
    /// Where the official text is (http(s)), if anywhere.
    pub url: Option<String>,
    /// Readable by anyone, signed in or not.
    pub public: bool,
}

impl NewDocument {
    /// Its text is 1–200,000 characters; a document is never a course (TRAINING_COURSES is refused).
    pub fn parse(
        title: &str,
        body: &str,
        category: MaterialCategory,
        url: Option<&str>,
        public: bool,
    ) -> Result<Self, DomainError> {
        if is_course(category) {
            return Err(DomainError::invalid("category", "a document is a law, a report or a rule"));
        }
        let url = match optional("url", url, MAX_URL_CHARS)? {
            Some(url) => Some(web_url("url", &url)?),
            None => None,
        };
        Ok(Self {
            title: Title::parse("title", title)?,
            body: bounded("body", body, 1, MAX_DOCUMENT_CHARS)?,
            category,
            url,
            public,
        })
    }
}

/// Who reads a document: anyone (anonymous too) when it is public; otherwise staff of its congress and
/// its deputies.
pub fn may_read_document(actor: Option<&Actor>, congress_id: Uuid, public: bool) -> bool {
    public || may_read_news(actor, congress_id)
}
