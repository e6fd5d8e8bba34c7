//! The vocabulary of the demo data: names to combine and sentence templates to fill.
//!
//! Templates hold `{slot}`s that [`super::text::Filler`] replaces. Slot lists are long enough
//! that a specific word (a competitor, a topic) lands in a few percent of the notes at most,
//! which is what makes search results, and search benchmarks, look like real use.

use crate::domain::Region;

pub const PARTNER_FIRST: &[&str] = &[
    "Blue",
    "North",
    "Summit",
    "Iron",
    "Cobalt",
    "Harbor",
    "Vertex",
    "Pine",
    "Granite",
    "Atlas",
    "Silver",
    "Red",
    "Bright",
    "Clear",
    "Deep",
    "True",
    "Swift",
    "Polar",
    "Coastal",
    "Alpine",
    "Copper",
    "Nimbus",
    "Orbit",
    "Quantum",
    "Lumen",
    "Keystone",
    "Evergreen",
    "Meridian",
    "Sterling",
    "Falcon",
    "Aspen",
    "Beacon",
];

pub const PARTNER_SECOND: &[&str] = &[
    "Ridge", "Bridge", "Stack", "Forge", "Cloud", "Logic", "Path", "Works", "Byte", "Shift",
    "Point", "Gate", "Wave", "Line", "Sky", "Stone", "Field", "Core", "Loop", "Grid", "Sail",
    "Peak", "Code", "Flow",
];

/// Company suffixes that fit each region.
pub fn partner_suffixes(region: Region) -> &'static [&'static str] {
    match region {
        Region::Americas => &[
            "Inc.",
            "LLC",
            "Consulting",
            "Technologies",
            "Solutions",
            "Group",
        ],
        Region::Emea => &[
            "GmbH",
            "Ltd",
            "S.A.",
            "B.V.",
            "AB",
            "Consulting",
            "Solutions",
        ],
        Region::Apac => &[
            "Pty Ltd",
            "Pte Ltd",
            "KK",
            "Technologies",
            "Solutions",
            "Digital",
        ],
        Region::PublicSector => &[
            "Federal",
            "Government Solutions",
            "Public Sector Group",
            "Civic Technologies",
        ],
    }
}

/// The CAMs who own partners, by region (a handful in all).
pub fn cams(region: Region) -> &'static [&'static str] {
    match region {
        Region::Americas => &[
            "maria.gonzalez@vendor.example",
            "james.carter@vendor.example",
        ],
        Region::Emea => &[
            "sophie.laurent@vendor.example",
            "lukas.becker@vendor.example",
        ],
        Region::Apac => &["aiko.tanaka@vendor.example", "rahul.mehta@vendor.example"],
        Region::PublicSector => &["karen.oduya@vendor.example"],
    }
}

/// The sales reps (AEs) who own accounts and log notes, by region.
pub fn account_executives(region: Region) -> &'static [&'static str] {
    match region {
        Region::Americas => &["ben.okafor@vendor.example", "diego.ramirez@vendor.example"],
        Region::Emea => &["emma.schulz@vendor.example", "chloe.martin@vendor.example"],
        Region::Apac => &["hiro.sato@vendor.example", "priya.nair@vendor.example"],
        Region::PublicSector => &["noah.kim@vendor.example", "olivia.reed@vendor.example"],
    }
}

pub fn cities(region: Region) -> &'static [&'static str] {
    match region {
        Region::Americas => &[
            "Austin",
            "Toronto",
            "São Paulo",
            "Chicago",
            "Denver",
            "Mexico City",
        ],
        Region::Emea => &[
            "London",
            "Berlin",
            "Paris",
            "Amsterdam",
            "Stockholm",
            "Madrid",
            "Dubai",
        ],
        Region::Apac => &[
            "Singapore",
            "Sydney",
            "Tokyo",
            "Bangalore",
            "Seoul",
            "Auckland",
        ],
        Region::PublicSector => &["Washington", "Ottawa", "Canberra", "Brussels", "Arlington"],
    }
}

pub const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chen", "Dara", "Elif", "Femi", "Greta", "Hamid", "Ines", "Jonas", "Kavya",
    "Liam", "Mei", "Nadia", "Omar", "Paula", "Quinn", "Rosa", "Sami", "Tomás", "Uma", "Viktor",
    "Wen", "Yara", "Zoe", "Arjun", "Bruno", "Camille", "Dmitri", "Erin", "Felix", "Hana", "Igor",
    "Julia", "Kenji", "Lena", "Marco", "Nora", "Oskar", "Priya",
];

pub const LAST_NAMES: &[&str] = &[
    "Silva",
    "Novak",
    "Kowalski",
    "Nguyen",
    "Okafor",
    "Müller",
    "Rossi",
    "Tanaka",
    "Haddad",
    "Jensen",
    "Kaur",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Ortega",
    "Petrov",
    "Quist",
    "Reyes",
    "Schmidt",
    "Takahashi",
    "Underwood",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zhang",
    "Andersen",
    "Bianchi",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "García",
    "Hughes",
    "Ivanova",
    "Jansen",
    "Kim",
    "Lopez",
    "Mendes",
    "Nilsen",
    "Osei",
];

/// Job titles at partners, with the family of certification that suits each.
pub const ROLES: &[(&str, Family)] = &[
    ("Sales Director", Family::Sales),
    ("Account Executive", Family::Sales),
    ("Channel Sales Manager", Family::Sales),
    ("Solutions Architect", Family::Architect),
    ("Pre-Sales Engineer", Family::Architect),
    ("Cloud Architect", Family::Architect),
    ("Professional Services Engineer", Family::Services),
    ("DevOps Consultant", Family::Services),
    ("Delivery Manager", Family::Services),
    ("Practice Lead", Family::Services),
    ("Alliance Manager", Family::Other),
    ("Technical Trainer", Family::Other),
];

/// Which kind of person a certification suits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Sales,
    Architect,
    Services,
    Other,
}

pub const ACCOUNT_FIRST: &[&str] = &[
    "Aurora",
    "Helios",
    "Northwind",
    "Bluewater",
    "Crescent",
    "Redwood",
    "Ironclad",
    "Lighthouse",
    "Riverbend",
    "Oakmont",
    "Starling",
    "Tidewater",
    "Highland",
    "Juniper",
    "Maple",
    "Orion",
    "Pinnacle",
    "Sapphire",
    "Westbrook",
    "Zenith",
    "Harborview",
    "Kestrel",
    "Larkspur",
    "Monarch",
    "Nova",
    "Prairie",
    "Quarry",
    "Sequoia",
    "Thistle",
    "Cedar",
    "Driftwood",
    "Emberly",
    "Foxglove",
    "Glacier",
    "Hollis",
    "Ivy",
    "Jasper",
    "Kingsley",
    "Lumina",
    "Marlow",
];

pub const ACCOUNT_INDUSTRY: &[&str] = &[
    "Bank",
    "Health",
    "Logistics",
    "Insurance",
    "Retail",
    "Energy",
    "Telecom",
    "Foods",
    "Motors",
    "Pharma",
    "Airlines",
    "Media",
    "Games",
    "Robotics",
    "University",
    "Credit Union",
    "Utilities",
    "Shipping",
    "Hotels",
    "Analytics",
];

pub const ACCOUNT_SUFFIX: &[&str] = &["", " Group", " Holdings", " Corp", " & Co"];

pub const PRODUCTS: &[&str] = &[
    "Premium",
    "Ultimate",
    "Premium to Ultimate upgrade",
    "Duo add-on",
    "Dedicated",
    "Professional Services",
];

pub const COMPETITORS: &[&str] = &[
    "Jenkins",
    "GitHub Actions",
    "Bitbucket",
    "Azure DevOps",
    "CircleCI",
    "Jira",
    "SonarQube",
    "Artifactory",
    "TeamCity",
    "Bamboo",
    "Travis CI",
    "Perforce",
    "Snyk",
    "Checkmarx",
    "Harness",
    "Argo CD",
    "Subversion",
    "Gerrit",
];

pub const TOPICS: &[&str] = &[
    "CI pipelines",
    "security scanning",
    "SAST",
    "dependency scanning",
    "container registry",
    "Kubernetes deployments",
    "Helm charts",
    "value stream analytics",
    "compliance pipelines",
    "audit events",
    "merge request approvals",
    "self-managed upgrade",
    "Geo replication",
    "high availability",
    "runner fleet",
    "SSO and SCIM",
    "license true-up",
    "Premium to Ultimate upgrade",
    "monorepo performance",
    "Terraform state",
    "secrets management",
    "DORA metrics",
    "agile planning",
    "epics and roadmaps",
    "code review",
    "package registry",
    "incident management",
    "feature flags",
    "fuzz testing",
    "SBOM",
    "air-gapped install",
    "AI code suggestions",
    "remote development",
    "static site hosting",
];

pub const PERSONAS: &[&str] = &[
    "VP of App Dev",
    "DevOps Director",
    "Head of IT",
    "Chief Architect",
    "CISO",
    "Platform Engineering lead",
    "procurement lead",
    "CTO",
    "Release Manager",
];

pub const PAINS: &[&str] = &[
    "toolchain sprawl",
    "slow release cycles",
    "audit findings",
    "rising Jenkins maintenance cost",
    "long developer onboarding",
    "flaky builds",
    "license costs",
    "no visibility across teams",
    "a growing security backlog",
    "a cloud migration deadline",
    "outages during peak season",
    "plugin upgrade breakages",
];

pub const OBJECTIONS: &[&str] = &[
    "budget frozen until next quarter",
    "procurement needs three quotes",
    "the security review is still pending",
    "they prefer to stay on-premises",
    "legal redlines on the MSA",
    "worried about migration effort",
    "they want a Proof of Value first",
    "they need data residency in the EU",
    "the incumbent offered a steep discount",
    "a reorganisation in engineering",
];

pub const CLOUDS: &[&str] = &["AWS", "Azure", "Google Cloud", "Oracle Cloud"];

pub const UNCOVERED: &[&str] = &[
    "a second business unit with 400 developers",
    "an expiring Jenkins support contract",
    "a plan to consolidate three SCM tools",
    "a board-level cloud mandate",
    "a hiring freeze in engineering",
    "a failed audit of their release process",
    "a new CIO who favours platforms",
    "a subsidiary already on our free tier",
];

pub const WIN_LOSS: &[&str] = &[
    "Won on consolidating the toolchain into one platform",
    "Won: the partner's migration services de-risked the move",
    "Won on security and compliance features",
    "Lost to the incumbent on price",
    "Lost: no budget this fiscal year",
    "Lost: chose to stay on GitHub Enterprise",
    "Lost: project cancelled after a reorganisation",
];

pub const UNDERSTANDING: &[&str] = &[
    "Sees us as a CI tool only",
    "Understands the single DevSecOps platform story",
    "Knows us from the free tier",
    "Thinks we are only source control",
    "Understands the value of consolidating security scanning",
];

/// Call note titles.
pub const NOTE_TITLES: &[&str] = &[
    "Discovery call: {customer}",
    "{customer} pipeline review",
    "QBR prep with {partner}",
    "Technical deep dive: {topic}",
    "Pricing call with {customer}",
    "{customer}: {competitor} displacement",
    "Weekly partner sync",
    "Renewal check-in: {customer}",
    "Proof of Value kickoff at {customer}",
    "Executive briefing with the {persona}",
    "Deal registration review",
    "Enablement check-in with {partner}",
    "Account planning: {customer}",
    "Follow-up on {topic}",
];

/// Call note sentences; a body is a few of these.
pub const NOTE_SENTENCES: &[&str] = &[
    "Spoke with the {persona} at {customer} about {topic}.",
    "{customer} runs {competitor} today and is feeling {pain}.",
    "{person} from {partner} joined and walked through their {offering} offering.",
    "Main objection: {objection}.",
    "They are also looking at {competitor}; we positioned the single application story.",
    "Scope is roughly {seats} seats, starting in {quarter}.",
    "Agreed to run a Proof of Value focused on {topic}.",
    "Pricing came in at {amount}; they asked for a multi-year discount.",
    "The partner uncovered {uncovered}, which may change the tier.",
    "Reviewed the command plan; the paper process is still unclear.",
    "Custom pitch deck tailored to their {industry} use case.",
    "{person} will run a follow-up workshop on {topic}.",
    "Deal registered by {partner}; the registration expires in {days} days.",
    "The renewal is due in {quarter}; churn risk because of {pain}.",
    "Discussed NFR licences for the partner lab ahead of SA Core.",
    "Procurement asked for a security questionnaire and our SOC 2 report.",
    "The {persona} wants DORA metrics to report to the board.",
    "Next QBR is planned in {city}.",
    "Proposed a joint webinar on {topic} for {quarter}; an MDF request will follow.",
    "They are standardising on {cloud} and prefer a marketplace purchase.",
    "The partner's {role} will lead the move off {competitor}.",
    "Technical validation of {topic} passed; moving to proposal.",
    "No decision yet; the {persona} is out until {date}.",
    "Champion is the {persona}; the economic buyer is the CFO.",
    "Mapped their current toolchain: {competitor}, {competitor2} and scripts.",
    "Customer understanding: {understanding}.",
    "Shared two customer references from the {industry} sector.",
    "They asked how we compare with {competitor} on {topic}.",
    "Legal is reviewing the order form.",
    "Partner will scope the {offering} work and send a SOW.",
    "Current pain is {pain}; success means shipping weekly.",
    "Security team raised {objection_short}.",
    "Walked the {persona} through the roadmap for {topic}.",
    "They have {seats} developers across {city} and two other sites.",
    "The partner's delivery team is booked until {quarter}.",
    "Asked for a reference call with a customer that moved off {competitor}.",
    "Budget sits with the {persona}; sign-off expected by {date}.",
    "Contract end date with {competitor} is {quarter}.",
    "Discussed a phased rollout: {topic} first, then {topic2}.",
    "Demo of {topic} landed well with the engineers.",
    "They want to see a business case before {quarter}.",
    "Agreed the mutual action plan with {person}.",
    "Finance asked whether they can pay through the partner.",
    "Partner will bundle {offering} days with the licences.",
    "The team is frustrated with {pain}.",
    "Call was short; {persona} had to drop off.",
    "Re-confirmed the close plan and the paperwork owner.",
    "We will bring a solutions architect to the next call.",
];

pub const OBJECTIONS_SHORT: &[&str] = &[
    "questions about data retention",
    "concerns about runner isolation",
    "a request for a penetration test report",
    "questions about FedRAMP status",
    "concerns about AI data usage",
    "a need for SAML group sync",
];

/// Next step descriptions.
pub const NEXT_STEPS: &[&str] = &[
    "Send the SOW draft to {person}",
    "Share the {competitor} migration guide",
    "Book a technical workshop on {topic}",
    "Partner to confirm the seat count",
    "Prepare the custom pitch deck",
    "Update the command plan",
    "Request MDF for the joint webinar",
    "Register the deal in the partner portal",
    "Send answers to the security questionnaire",
    "Schedule the QBR in {city}",
    "Confirm budget with the {persona}",
    "Arrange NFR licences for the partner lab",
    "Follow up on {objection}",
    "Send the quote for {seats} seats",
    "Partner to deliver the Proof of Value report",
];

/// A partner's account notes.
pub const ACCOUNT_NOTES: &[&str] = &[
    "Strong {offering} practice in {city}; focus on {topic}.",
    "Key contact is {person}. Prefers monthly syncs.",
    "Growing fast in the {industry} sector; wants co-marketing.",
    "Mostly resells Premium; little services capacity yet.",
    "Runs a {competitor} migration factory with three delivery teams.",
    "Needs help with deal registration and quoting.",
];

/// Business plan goals.
pub const PLAN_GOALS: &[&str] = &[
    "Build a repeatable {offering} practice and land {logos} new logos.",
    "Grow Ultimate attach in the {industry} sector.",
    "Certify the team to the next track requirements.",
    "Run a {competitor} displacement campaign with the field.",
    "Launch a managed offering around {topic}.",
    "Reach the {stage} stage of the partner journey.",
];

/// Business plan marketing lines.
pub const PLAN_MARKETING: &[&str] = &[
    "Joint webinar on {topic} in {quarter}.",
    "Roadshow in {city} with the field team.",
    "Case study with a customer in the {industry} sector.",
    "Booth at the regional DevOps summit.",
    "Email nurture to the partner's installed base of {competitor} users.",
];

pub const MDF_ACTIVITIES: &[&str] = &[
    "Joint webinar",
    "Regional roadshow",
    "Customer workshop series",
    "Trade show booth",
    "Digital campaign",
];
