//! The columns each kind of CSV file can have, and the headers real exports give them
//! (Salesforce for opportunities, LMS exports for people). The first header of each field is
//! the one our export writes.

use crate::io::headers::{FieldSpec, Schema};

pub(crate) const PARTNERS: Schema = Schema {
    fields: &[
        FieldSpec {
            field: "name",
            aliases: &[
                "Name",
                "Partner",
                "Partner Name",
                "Account Name",
                "Company",
                "Company Name",
            ],
        },
        FieldSpec {
            field: "partner_types",
            aliases: &["Types", "Type", "Partner Type", "Partner Types"],
        },
        FieldSpec {
            field: "track",
            aliases: &["Track", "Partner Track", "Program Track", "Program"],
        },
        FieldSpec {
            field: "region",
            aliases: &["Region", "Partner Region", "Geo", "Theater"],
        },
        FieldSpec {
            field: "owner",
            aliases: &[
                "Owner",
                "CAM",
                "Channel Account Manager",
                "Partner Manager",
                "Partner Owner",
                "Account Owner",
            ],
        },
        FieldSpec {
            field: "journey_stage",
            aliases: &["Stage", "Journey Stage", "Maturity Stage", "Partner Stage"],
        },
        FieldSpec {
            field: "account_notes",
            aliases: &["Account Notes", "Notes", "Description"],
        },
        FieldSpec {
            field: "currency",
            aliases: &["Currency", "Partner Currency", "Currency ISO Code"],
        },
        FieldSpec {
            field: "last_phd_review",
            aliases: &[
                "Last PHD Review",
                "PHD Review",
                "Last PHD Review Date",
                "Last Review",
            ],
        },
    ],
    required: &[&["name"], &["track"], &["region"], &["owner"]],
};

pub(crate) const PEOPLE: Schema = Schema {
    fields: &[
        FieldSpec {
            field: "partner",
            aliases: &[
                "Partner",
                "Partner Name",
                "Partner ID",
                "Company",
                "Account Name",
                "Organization",
            ],
        },
        FieldSpec {
            field: "name",
            aliases: &[
                "Name",
                "Person",
                "Person Name",
                "Full Name",
                "Learner Name",
                "Employee Name",
            ],
        },
        FieldSpec {
            field: "first_name",
            aliases: &["First Name", "Given Name"],
        },
        FieldSpec {
            field: "last_name",
            aliases: &["Last Name", "Surname", "Family Name"],
        },
        FieldSpec {
            field: "email",
            aliases: &[
                "Email",
                "Email Address",
                "Work Email",
                "Learner Email",
                "User Email",
            ],
        },
        FieldSpec {
            field: "role",
            aliases: &["Role", "Job Title", "Title", "Position"],
        },
        FieldSpec {
            field: "certification",
            aliases: &[
                "Certification",
                "Certification Name",
                "Certification ID",
                "Credential",
                "Course",
                "Course Name",
            ],
        },
        FieldSpec {
            field: "status",
            aliases: &["Status", "Certification Status", "Completion Status"],
        },
        FieldSpec {
            field: "completed_on",
            aliases: &[
                "Completed",
                "Completed On",
                "Completion Date",
                "Date Completed",
                "Certified On",
                "Certification Date",
            ],
        },
        FieldSpec {
            field: "expires_on",
            aliases: &[
                "Expires",
                "Expires On",
                "Expiry Date",
                "Expiration Date",
                "Valid Until",
            ],
        },
        FieldSpec {
            field: "target_date",
            aliases: &["Target Date", "Target", "Due Date", "Due By"],
        },
    ],
    required: &[&["partner"], &["name", "first_name"], &["certification"]],
};

pub(crate) const OPPORTUNITIES: Schema = Schema {
    fields: &[
        FieldSpec {
            field: "name",
            aliases: &["Opportunity Name", "Opportunity", "Name", "Deal Name"],
        },
        FieldSpec {
            field: "account",
            aliases: &["Account Name", "Account", "Customer", "Customer Name"],
        },
        FieldSpec {
            field: "opportunity_type",
            aliases: &["Type", "Opportunity Type"],
        },
        FieldSpec {
            field: "stage",
            aliases: &["Stage", "Opportunity Stage", "Sales Stage"],
        },
        FieldSpec {
            field: "amount",
            aliases: &["Amount", "Opportunity Amount", "Total Amount"],
        },
        FieldSpec {
            field: "iacv",
            aliases: &["IACV", "Incremental ACV"],
        },
        FieldSpec {
            field: "currency",
            aliases: &[
                "Currency",
                "Opportunity Currency",
                "Amount Currency",
                "Currency ISO Code",
            ],
        },
        FieldSpec {
            field: "segment",
            aliases: &["Segment", "Sales Segment", "Account Segment"],
        },
        FieldSpec {
            field: "close_date",
            aliases: &["Close Date", "Closing Date", "Expected Close Date"],
        },
        FieldSpec {
            field: "registered_partner",
            aliases: &["Registered Partner", "Deal Registration Partner", "Partner"],
        },
        FieldSpec {
            field: "win_loss_reason",
            aliases: &[
                "Win/Loss Reason",
                "Reason Won/Lost",
                "Win Reason",
                "Loss Reason",
            ],
        },
        FieldSpec {
            field: "owner",
            aliases: &["Owner", "Opportunity Owner"],
        },
        FieldSpec {
            field: "customer_understanding",
            aliases: &["Customer Understanding", "Customer's Understanding"],
        },
        FieldSpec {
            field: "command_plan",
            aliases: &["Command Plan"],
        },
        FieldSpec {
            field: "has_pitch_deck",
            aliases: &["Pitch Deck", "Custom Pitch Deck", "Has Pitch Deck"],
        },
        FieldSpec {
            field: "pitch_deck_url",
            aliases: &["Pitch Deck Link", "Pitch Deck URL", "Deck Link"],
        },
        FieldSpec {
            field: "understanding_via_partner",
            aliases: &["Understanding Via Partner", "Via Partner"],
        },
        FieldSpec {
            field: "partner_discount",
            aliases: &["Partner Discount", "Channel Discount"],
        },
        FieldSpec {
            field: "services_attach",
            aliases: &["Services Attach", "Partner Services"],
        },
    ],
    required: &[&["name"], &["account"], &["segment"], &["close_date"]],
};
