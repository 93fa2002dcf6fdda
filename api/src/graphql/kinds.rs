//! The kinds of steps and notifications as GraphQL enums, mirrored from the domain's vocabularies.
//!
//! Each enum has one item per domain value (the same name) and a final `OTHER`. A stored kind this
//! version does not know (written by a newer version during a rolling deploy, or by hand) is logged and
//! read as `OTHER` rather than failing the field: `kind` is non-null, so an error would null out the whole
//! inbox or timeline that holds the step. Clients must handle `OTHER` anyway, as new kinds are added.

use async_graphql::Enum;
use edaibiao_domain::notification::NotificationKind as DomNotificationKind;
use edaibiao_domain::opinion::OpinionEventKind as DomOpinionEventKind;
use edaibiao_domain::suggestion::SuggestionEventKind as DomSuggestionEventKind;

/// Declares a GraphQL enum with the variants of a domain vocabulary plus `OTHER`, the `From` impl from
/// the domain value (exhaustive: a domain value without an item here does not compile), and
/// `from_stored` for a name read from the database.
macro_rules! kind_enum {
    ($(#[$doc:meta])* $name:ident from $domain:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// A kind this version of the server does not know yet; treat it generically.
            Other,
        }

        impl From<$domain> for $name {
            fn from(kind: $domain) -> Self {
                match kind {
                    $($domain::$variant => $name::$variant,)+
                }
            }
        }

        impl $name {
            /// The kind stored as `raw`; an unknown name is logged and read as `OTHER`.
            pub fn from_stored(raw: &str) -> Self {
                match $domain::parse(raw) {
                    Ok(kind) => kind.into(),
                    Err(_) => {
                        let r#type = stringify!($name);
                        tracing::warn!(kind = raw, r#type, "unknown stored kind, shown as OTHER");
                        $name::Other
                    }
                }
            }
        }
    };
}

kind_enum!(
    /// What a notification tells its reader.
    NotificationKind from DomNotificationKind {
        /// A suggestion waits for pre-review (to staff).
        Submitted,
        /// A unit asks to have a suggestion assigned elsewhere (to staff).
        ReassignmentRequested,
        /// A unit asks for more time (to staff).
        ExtensionRequested,
        /// A part is to be handled again after a dissatisfied rating (to the unit).
        Rehandling,
        /// Still dissatisfied after handling again (to staff).
        Flagged,
        /// A suggestion was put under key supervision (to its units).
        Supervised,
        /// An invitation to co-sign a suggestion (to the deputy).
        CoSignInvited,
        /// The suggestion was returned for revision (to the lead deputy).
        ReturnedForRevision,
        /// The suggestion was assigned to units (to its deputies and units).
        Assigned,
        /// A reassignment request was refused (to the unit).
        ReassignmentRejected,
        /// An extension request was decided (to the unit).
        ExtensionResolved,
        /// The suggestion was answered (to its deputies).
        Answered,
        /// The lead deputy rated an answer (to the unit).
        Rated,
        /// A promised matter was done; its result may be rated (to the lead deputy).
        ImplementationDone,
        /// A suggestion's deadline is near (to its answering units).
        DeadlineNear,
        /// A suggestion's deadline has passed (to its answering units).
        Overdue,
        /// A citizen's opinion came in (to the deputy or station it is addressed to).
        OpinionReceived,
        /// The citizen's opinion was accepted (to the citizen).
        OpinionAccepted,
        /// An opinion was forwarded (to the unit).
        OpinionForwarded,
        /// The unit replied to a forwarded opinion (to the person responsible).
        OpinionUnitReplied,
        /// The citizen's opinion has an answer (to the citizen).
        OpinionFeedback,
        /// The citizen rated the outcome (to the person responsible).
        OpinionRated,
        /// A duty entry was approved or rejected (to the deputy).
        DutyEntryDecided,
        /// The deputy is behind a duty quota.
        DutyQuotaBehind,
        /// Staff recorded a speech at a session in the deputy's archive (to the deputy).
        DutySpeechRecorded,
        /// A deputy submitted a report of constituents' views (to staff).
        DutyReportSubmitted,
        /// The staff accepted the deputy's report (to the deputy).
        DutyReportAccepted,
        /// The staff forwarded a deputy's report (to the deputy and the unit).
        DutyReportForwarded,
        /// The unit answered a deputy's report (to the deputy and staff).
        DutyReportAnswered,
        /// The deputy's report was compiled into a special report to the leadership (to the deputy).
        DutyReportCompiled,
        /// The deputy's report was declined, with a reason (to the deputy).
        DutyReportDeclined,
        /// The deputy was assigned to an activity.
        DutyActivityAssigned,
        /// A deputy asked for leave from an activity (to staff).
        DutyLeaveRequested,
        /// A leave request was decided (to the deputy).
        DutyLeaveDecided,
        /// The yearly evaluation's result was published (to the deputy).
        DutyEvaluationPublished,
        /// The evaluation requires a rectification report (to the deputy).
        DutyRectificationRequired,
        /// A deputy submitted a rectification report (to staff).
        DutyRectificationSubmitted,
        /// A round of livelihood projects opened (to the congress's deputies).
        ProjectRoundOpened,
        /// A question on a candidate project was answered (to the deputy who asked).
        ProjectQuestionAnswered,
        /// The vote on a round opened (to the congress's deputies).
        ProjectVotingOpened,
        /// The vote on a round closed (to the congress's deputies).
        ProjectVotingClosed,
        /// A round's results were published (to the congress's deputies and the responsible units).
        ProjectResultsPublished,
        /// The year-end satisfaction rating of a round's projects opened (to the congress's deputies).
        ProjectRatingOpened,
        /// A project milestone is due within seven days (to the unit).
        ProjectMilestoneDue,
        /// A project milestone is past due and not done (to the unit, staff and the supervision group).
        ProjectMilestoneOverdue,
        /// An inspection asked the unit to rectify (to the unit).
        ProjectRectificationRequested,
        /// The unit answered a rectification request (to the supervision group and staff).
        ProjectRectified,
        /// An appraisal was opened (to its group and the unit).
        AppraisalOpened,
        /// The unit submitted its written report (to the group and staff).
        AppraisalReportSubmitted,
        /// The list of problems was issued (to the unit).
        AppraisalItemsIssued,
        /// The unit answered an item (to the group and staff).
        AppraisalItemAnswered,
        /// An item's answer was returned (to the unit).
        AppraisalItemReturned,
        /// An item is not accepted after the rectification date (to the unit).
        AppraisalItemOverdue,
        /// The satisfaction vote opened (to the congress's deputies).
        AppraisalVotingOpened,
        /// The appraisal's result was published (to the unit and the group).
        AppraisalResultPublished,
        /// The unit submitted its further rectification report (to staff).
        AppraisalFurtherReportSubmitted,
        /// A vote on whom to appraise opened (to the members named to vote).
        AppraisalChoiceOpened,
        /// A vote on whom to appraise closed with its results (to the members and staff).
        AppraisalChoiceClosed,
        /// A deputy is invited to co-sponsor a bill (to the deputy).
        BillCoSponsorInvited,
        /// A bill was tabled (to the congress's staff and its sponsors).
        BillTabled,
        /// The presidium (or standing committee) decided what a bill becomes (to its sponsors).
        BillDecided,
        /// A bill was assigned to its committee and units (to the units and its sponsors).
        BillAssigned,
        /// The lead sponsor is invited to a meeting considering the bill (to the lead sponsor).
        BillMeetingInvited,
        /// A bill's review report and decision were recorded (to its sponsors and units).
        BillReviewed,
        /// A unit reported on a bill's follow-up (to staff and the lead sponsor).
        BillFollowUpReported,
        /// Staff pressed the units on a bill's follow-up (to the units).
        BillSupervised,
        /// A bill's follow-up was closed (to its sponsors and units).
        BillClosed,
        /// The lead sponsor rated a bill's handling (to staff and the units).
        BillRated,
        /// A call for the legislative plan opened (to the congress's deputies).
        LegislationCallPublished,
        /// A draft law the deputy is linked to was published, closed for comments, or has a new version
        /// (to the linked deputies).
        LegislationDraftStage,
        /// A legislative proposal was marked taken, merged or not taken (to the proposer).
        LegislationProposalMarked,
        /// A comment on a draft law was marked (to the commenter, or the contact point's workers).
        LegislationCommentMarked,
        /// A learning material was published to the deputy (to the deputies of its audience).
        LearningMaterialPublished,
        /// An important item of the congress's news feed (to its deputies).
        NewsImportant,
        /// A selection's committee vote opened (to the committee's members).
        DutySelectionVotingOpened,
        /// The deputy's suggestion, or the deputy, was selected (to the winner).
        DutySelectionWon,
        /// A selection's results were published (to the congress's deputies and staff).
        DutySelectionPublished,
        /// The responsible unit reported progress on a project the citizen follows (to its followers).
        ProjectProgressReported,
        /// The deputies' rating of a followed project was published (to its followers).
        ProjectRatingPublished,
        /// The author's public content was hidden for review after readers reported it (to the author).
        ModerationContentHidden,
        /// The author's public content was restored by staff, with the reason (to the author).
        ModerationContentRestored,
        /// The author's public content was removed by staff, with the reason (to the author).
        ModerationContentRemoved,
        /// Public content was hidden after reports and waits for a decision (to the congress's staff).
        ModerationReviewNeeded,
    }
);

kind_enum!(
    /// What a step on a suggestion's timeline records.
    TimelineEventKind from DomSuggestionEventKind {
        /// The lead deputy started a draft.
        Created,
        /// The draft's text was edited.
        DraftEdited,
        /// A deputy was invited to co-sign.
        CoSignerInvited,
        /// An invited deputy confirmed or declined co-signing.
        CoSignAnswered,
        /// Submitted and numbered (提出).
        Submitted,
        /// Staff returned it to the lead deputy for revision.
        ReturnedForRevision,
        /// The lead deputy withdrew it.
        Withdrawn,
        /// Assigned to units with a deadline (交办).
        Assigned,
        /// A unit asked to have it assigned elsewhere (改办).
        ReassignmentRequested,
        /// Staff refused a reassignment request.
        ReassignmentRejected,
        /// A unit asked for more time.
        ExtensionRequested,
        /// Staff granted or refused an extension.
        ExtensionResolved,
        /// A unit accepted its part (承办).
        Accepted,
        /// A co-unit gave its opinion to the lead unit.
        CoOpinionGiven,
        /// A unit recorded a contact with the deputy.
        ContactRecorded,
        /// A unit answered its part (答复).
        Answered,
        /// The lead deputy rated an answer (评价).
        Rated,
        /// A part is handled again after a dissatisfied rating.
        Rehandling,
        /// Still dissatisfied after handling again: flagged to staff.
        Flagged,
        /// A unit reported progress on what it promised.
        ImplementationReported,
        /// The lead deputy rated the implemented result.
        ResultRated,
        /// Merged into another suggestion.
        MergedInto,
        /// Another suggestion was merged into this one.
        Absorbed,
        /// Put under key supervision (重点督办).
        Supervised,
    }
);

kind_enum!(
    /// What a step on an opinion's timeline records.
    OpinionStepKind from DomOpinionEventKind {
        /// The citizen (or a reception) submitted it.
        Submitted,
        /// A deputy or station worker took responsibility for it (受理).
        Accepted,
        /// The responsible person resolved it directly.
        ResolvedDirectly,
        /// Forwarded to a handling unit (转办).
        Forwarded,
        /// The handling unit replied.
        UnitReplied,
        /// Turned into a suggestion draft.
        Converted,
        /// The citizen was given the answer.
        FeedbackGiven,
        /// The citizen rated the outcome.
        Rated,
        /// Closed because nobody rated in time.
        ClosedByTimeout,
        /// The citizen's contact name and phone were erased: the retention period after closing ran out,
        /// or the citizen deleted their account.
        ContactErased,
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::resolver_utils::EnumType;

    fn name<T: EnumType>(value: T) -> &'static str {
        T::items().iter().find(|item| item.value == value).map_or("", |item| item.name)
    }

    /// The GraphQL names are the stored names, so clients that compared strings keep working.
    #[test]
    fn graphql_names_are_the_stored_names() {
        for kind in DomNotificationKind::ALL {
            assert_eq!(name(NotificationKind::from(*kind)), kind.as_str());
        }
        for kind in DomSuggestionEventKind::ALL {
            assert_eq!(name(TimelineEventKind::from(*kind)), kind.as_str());
        }
        for kind in DomOpinionEventKind::ALL {
            assert_eq!(name(OpinionStepKind::from(*kind)), kind.as_str());
        }
        // One item per domain value, plus OTHER: no item that nothing maps to.
        assert_eq!(NotificationKind::items().len(), DomNotificationKind::ALL.len() + 1);
        assert_eq!(TimelineEventKind::items().len(), DomSuggestionEventKind::ALL.len() + 1);
        assert_eq!(OpinionStepKind::items().len(), DomOpinionEventKind::ALL.len() + 1);
    }

    #[test]
    fn an_unknown_stored_kind_is_other() {
        assert_eq!(NotificationKind::from_stored("SOMETHING_NEW"), NotificationKind::Other);
        assert_eq!(TimelineEventKind::from_stored("assigned"), TimelineEventKind::Other);
        assert_eq!(OpinionStepKind::from_stored(""), OpinionStepKind::Other);
        assert_eq!(NotificationKind::from_stored("OPINION_FEEDBACK"), NotificationKind::OpinionFeedback);
        assert_eq!(TimelineEventKind::from_stored("CO_SIGN_ANSWERED"), TimelineEventKind::CoSignAnswered);
        assert_eq!(OpinionStepKind::from_stored("CLOSED_BY_TIMEOUT"), OpinionStepKind::ClosedByTimeout);
    }
}
