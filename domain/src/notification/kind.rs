//! The kinds of notification the system writes, each with the name it is stored under.

vocabulary!(
    /// What a notification tells its reader. Each kind belongs to one [`Category`](super::Category).
    NotificationKind {
        /// A suggestion waits for pre-review (staff).
        Submitted = "SUBMITTED",
        /// A unit asks to have a suggestion assigned elsewhere (staff).
        ReassignmentRequested = "REASSIGNMENT_REQUESTED",
        /// A unit asks for more time (staff).
        ExtensionRequested = "EXTENSION_REQUESTED",
        /// A part is to be handled again after a dissatisfied rating (the unit).
        Rehandling = "REHANDLING",
        /// Still dissatisfied after handling again (staff).
        Flagged = "FLAGGED",
        /// A suggestion was put under key supervision (its units).
        Supervised = "SUPERVISED",
        /// An invitation to co-sign a suggestion (the deputy).
        CoSignInvited = "CO_SIGN_INVITED",
        /// The suggestion was returned for revision (the lead deputy).
        ReturnedForRevision = "RETURNED_FOR_REVISION",
        /// The suggestion was assigned to units (its deputies and units).
        Assigned = "ASSIGNED",
        /// A reassignment request was refused (the unit).
        ReassignmentRejected = "REASSIGNMENT_REJECTED",
        /// An extension request was decided (the unit).
        ExtensionResolved = "EXTENSION_RESOLVED",
        /// The suggestion was answered (its deputies).
        Answered = "ANSWERED",
        /// The lead deputy rated an answer (the unit).
        Rated = "RATED",
        /// A promised matter was done; its result may be rated (the lead deputy).
        ImplementationDone = "IMPLEMENTATION_DONE",
        /// A suggestion's deadline is near (its answering units).
        DeadlineNear = "DEADLINE_NEAR",
        /// A suggestion's deadline has passed (its answering units).
        Overdue = "OVERDUE",
        /// A citizen's opinion came in (the deputy or station it is addressed to).
        OpinionReceived = "OPINION_RECEIVED",
        /// The citizen's opinion was accepted (the citizen).
        OpinionAccepted = "OPINION_ACCEPTED",
        /// An opinion was forwarded to the unit.
        OpinionForwarded = "OPINION_FORWARDED",
        /// The unit replied to a forwarded opinion (the person responsible).
        OpinionUnitReplied = "OPINION_UNIT_REPLIED",
        /// The citizen's opinion has an answer (the citizen).
        OpinionFeedback = "OPINION_FEEDBACK",
        /// The citizen rated the outcome (the person responsible).
        OpinionRated = "OPINION_RATED",
        /// A duty entry was approved or rejected (the deputy).
        DutyEntryDecided = "DUTY_ENTRY_DECIDED",
        /// The deputy is behind a duty quota.
        DutyQuotaBehind = "DUTY_QUOTA_BEHIND",
        /// Staff recorded a speech at a session in the deputy's archive (the deputy).
        DutySpeechRecorded = "DUTY_SPEECH_RECORDED",
        /// A deputy submitted a report of constituents' views (staff).
        DutyReportSubmitted = "DUTY_REPORT_SUBMITTED",
        /// The staff accepted the deputy's report (the deputy).
        DutyReportAccepted = "DUTY_REPORT_ACCEPTED",
        /// The staff forwarded a deputy's report (the deputy and the unit).
        DutyReportForwarded = "DUTY_REPORT_FORWARDED",
        /// The unit answered a deputy's report (the deputy and staff).
        DutyReportAnswered = "DUTY_REPORT_ANSWERED",
        /// The deputy's report was compiled into a special report to the leadership (the deputy).
        DutyReportCompiled = "DUTY_REPORT_COMPILED",
        /// The deputy's report was declined, with a reason (the deputy).
        DutyReportDeclined = "DUTY_REPORT_DECLINED",
        /// The deputy was assigned to an activity.
        DutyActivityAssigned = "DUTY_ACTIVITY_ASSIGNED",
        /// A deputy asked for leave from an activity (staff).
        DutyLeaveRequested = "DUTY_LEAVE_REQUESTED",
        /// A leave request was decided (the deputy).
        DutyLeaveDecided = "DUTY_LEAVE_DECIDED",
        /// The yearly evaluation's result was published (the deputy).
        DutyEvaluationPublished = "DUTY_EVALUATION_PUBLISHED",
        /// The evaluation requires a rectification report (the deputy).
        DutyRectificationRequired = "DUTY_RECTIFICATION_REQUIRED",
        /// A deputy submitted a rectification report (staff).
        DutyRectificationSubmitted = "DUTY_RECTIFICATION_SUBMITTED",
        /// A round of livelihood projects opened for candidates and questions (the congress's deputies).
        ProjectRoundOpened = "PROJECT_ROUND_OPENED",
        /// A question on a candidate project was answered (the deputy who asked).
        ProjectQuestionAnswered = "PROJECT_QUESTION_ANSWERED",
        /// The vote on a round opened (the congress's deputies).
        ProjectVotingOpened = "PROJECT_VOTING_OPENED",
        /// The vote on a round closed (the congress's deputies).
        ProjectVotingClosed = "PROJECT_VOTING_CLOSED",
        /// A round's results were published (the congress's deputies and the responsible units).
        ProjectResultsPublished = "PROJECT_RESULTS_PUBLISHED",
        /// The year-end satisfaction rating of a round's projects opened (the congress's deputies).
        ProjectRatingOpened = "PROJECT_RATING_OPENED",
        /// A project milestone is due within seven days (the unit).
        ProjectMilestoneDue = "PROJECT_MILESTONE_DUE",
        /// A project milestone is past due and not done (the unit, staff and the supervision group).
        ProjectMilestoneOverdue = "PROJECT_MILESTONE_OVERDUE",
        /// An inspection asked the unit to rectify (the unit).
        ProjectRectificationRequested = "PROJECT_RECTIFICATION_REQUESTED",
        /// The unit answered a rectification request (the supervision group and staff).
        ProjectRectified = "PROJECT_RECTIFIED",
        /// An appraisal was opened (its group and the unit).
        AppraisalOpened = "APPRAISAL_OPENED",
        /// The unit submitted its written report (the group and staff).
        AppraisalReportSubmitted = "APPRAISAL_REPORT_SUBMITTED",
        /// The list of problems was issued (the unit).
        AppraisalItemsIssued = "APPRAISAL_ITEMS_ISSUED",
        /// The unit answered an item (the group and staff).
        AppraisalItemAnswered = "APPRAISAL_ITEM_ANSWERED",
        /// An item's answer was returned (the unit).
        AppraisalItemReturned = "APPRAISAL_ITEM_RETURNED",
        /// An item is not accepted after the rectification date (the unit).
        AppraisalItemOverdue = "APPRAISAL_ITEM_OVERDUE",
        /// The satisfaction vote opened (the congress's deputies).
        AppraisalVotingOpened = "APPRAISAL_VOTING_OPENED",
        /// The appraisal's result was published (the unit and the group).
        AppraisalResultPublished = "APPRAISAL_RESULT_PUBLISHED",
        /// The unit submitted its further rectification report (staff).
        AppraisalFurtherReportSubmitted = "APPRAISAL_FURTHER_REPORT_SUBMITTED",
        /// A vote on whom to appraise opened (the members named to vote).
        AppraisalChoiceOpened = "APPRAISAL_CHOICE_OPENED",
        /// A vote on whom to appraise closed with its results (the members and staff).
        AppraisalChoiceClosed = "APPRAISAL_CHOICE_CLOSED",
        /// A deputy is invited to co-sponsor a bill (the deputy).
        BillCoSponsorInvited = "BILL_CO_SPONSOR_INVITED",
        /// A bill was tabled (the congress's staff).
        BillTabled = "BILL_TABLED",
        /// The presidium (or standing committee) decided what a bill becomes (its sponsors).
        BillDecided = "BILL_DECIDED",
        /// A bill was assigned to its committee and units (the units and its sponsors).
        BillAssigned = "BILL_ASSIGNED",
        /// The lead sponsor is invited to a meeting considering the bill (the lead sponsor).
        BillMeetingInvited = "BILL_MEETING_INVITED",
        /// A bill's review report and decision were recorded (its sponsors and units).
        BillReviewed = "BILL_REVIEWED",
        /// A unit reported on a bill's follow-up (staff and the lead sponsor).
        BillFollowUpReported = "BILL_FOLLOW_UP_REPORTED",
        /// Staff pressed the units on a bill's follow-up (the units).
        BillSupervised = "BILL_SUPERVISED",
        /// A bill's follow-up was closed (its sponsors and units).
        BillClosed = "BILL_CLOSED",
        /// The lead sponsor rated a bill's handling (staff and the units).
        BillRated = "BILL_RATED",
        /// A call for the legislative plan opened (the congress's deputies).
        LegislationCallPublished = "LEGISLATION_CALL_PUBLISHED",
        /// A draft law the deputy is linked to was published, closed for comments, or has a new version.
        LegislationDraftStage = "LEGISLATION_DRAFT_STAGE",
        /// A legislative proposal was marked taken, merged or not taken (the proposer).
        LegislationProposalMarked = "LEGISLATION_PROPOSAL_MARKED",
        /// A comment on a draft law was marked (the commenter, or the contact point's workers).
        LegislationCommentMarked = "LEGISLATION_COMMENT_MARKED",
        /// A learning material was published to the deputy (a course to complete, or something to read).
        LearningMaterialPublished = "LEARNING_MATERIAL_PUBLISHED",
        /// An important item of the congress's news feed (人大工作动态) was published (its deputies).
        NewsImportant = "NEWS_IMPORTANT",
        /// A selection's committee vote opened (the committee's members).
        DutySelectionVotingOpened = "DUTY_SELECTION_VOTING_OPENED",
        /// The deputy's suggestion, or the deputy, was selected (the winner).
        DutySelectionWon = "DUTY_SELECTION_WON",
        /// A selection's results were published (the congress's deputies and staff).
        DutySelectionPublished = "DUTY_SELECTION_PUBLISHED",
        /// The responsible unit reported progress on a project the citizen follows.
        ProjectProgressReported = "PROJECT_PROGRESS_REPORTED",
        /// The deputies' rating of a project the citizen follows was published.
        ProjectRatingPublished = "PROJECT_RATING_PUBLISHED",
        /// The author's public content was hidden for review after readers reported it (the author).
        ModerationContentHidden = "MODERATION_CONTENT_HIDDEN",
        /// The author's public content was restored by staff, with the reason (the author).
        ModerationContentRestored = "MODERATION_CONTENT_RESTORED",
        /// The author's public content was removed by staff, with the reason (the author).
        ModerationContentRemoved = "MODERATION_CONTENT_REMOVED",
        /// Public content was hidden after reports and waits for a decision (staff of its congress).
        ModerationReviewNeeded = "MODERATION_REVIEW_NEEDED",
    }
);

impl NotificationKind {
    /// The category it belongs to (never [`Category::Other`](super::Category::Other)).
    pub fn category(self) -> super::Category {
        super::Category::of(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::Category;
    use crate::suggestion::Reminder;

    #[test]
    fn every_kind_has_a_category_and_round_trips() {
        for kind in NotificationKind::ALL {
            assert_ne!(kind.category(), Category::Other, "{kind:?}");
            assert_eq!(NotificationKind::parse(kind.as_str()), Ok(*kind));
        }
        assert!(NotificationKind::parse("SOMETHING_NEW").is_err());
    }

    #[test]
    fn the_kinds_written_outside_the_lifecycle_are_known() {
        for raw in [
            Reminder::DueSoon.kind(),
            Reminder::Overdue.kind(),
            crate::duty::evaluation::PUBLISHED_KIND,
            crate::duty::evaluation::RECTIFICATION_REQUIRED_KIND,
            crate::duty::evaluation::RECTIFICATION_SUBMITTED_KIND,
            crate::project::MilestoneReminder::DueSoon.kind(),
            crate::project::MilestoneReminder::Overdue.kind(),
            crate::project::kinds::ROUND_OPENED,
            crate::project::kinds::QUESTION_ANSWERED,
            crate::project::kinds::VOTING_OPENED,
            crate::project::kinds::VOTING_CLOSED,
            crate::project::kinds::RESULTS_PUBLISHED,
            crate::project::kinds::RECTIFICATION_REQUESTED,
            crate::project::kinds::RECTIFIED,
            crate::project::kinds::RATING_OPENED,
            crate::legislation::kinds::CALL_PUBLISHED,
            crate::legislation::kinds::DRAFT_STAGE,
            crate::legislation::kinds::PROPOSAL_MARKED,
            crate::legislation::kinds::COMMENT_MARKED,
            crate::learning::kinds::MATERIAL_PUBLISHED,
            crate::learning::kinds::NEWS_IMPORTANT,
            crate::appraisal::kinds::OPENED,
            crate::appraisal::kinds::REPORT_SUBMITTED,
            crate::appraisal::kinds::ITEMS_ISSUED,
            crate::appraisal::kinds::ITEM_ANSWERED,
            crate::appraisal::kinds::ITEM_RETURNED,
            crate::appraisal::kinds::ITEM_OVERDUE,
            crate::appraisal::kinds::VOTING_OPENED,
            crate::appraisal::kinds::RESULT_PUBLISHED,
            crate::appraisal::kinds::FURTHER_REPORT_SUBMITTED,
            crate::appraisal::kinds::CHOICE_OPENED,
            crate::selection::kinds::VOTING_OPENED,
            crate::selection::kinds::WON,
            crate::selection::kinds::PUBLISHED,
            crate::appraisal::kinds::CHOICE_CLOSED,
            crate::moderation::kinds::HIDDEN,
            crate::project::kinds::PROGRESS_REPORTED,
            crate::project::kinds::RATING_PUBLISHED,
            crate::moderation::kinds::RESTORED,
            crate::moderation::kinds::REMOVED,
            crate::moderation::kinds::REVIEW_NEEDED,
        ] {
            assert!(NotificationKind::parse(raw).is_ok(), "{raw}");
        }
    }
}
