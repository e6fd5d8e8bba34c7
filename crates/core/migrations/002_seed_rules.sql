-- Seed rows for the rules tables, from the program handbook (shared/seeds). Editable data:
-- these rows are the program's rules as shipped, not constants in code.

INSERT INTO certifications (id, name, validity_months, sort_order) VALUES
  ('sales-core', 'Sales Core', NULL, 1),
  ('sales-pro', 'Sales Pro', NULL, 2),
  ('sa-core', 'Solution Architect (SA) Core', NULL, 3),
  ('pse', 'Professional Services Engineer (PSE)', NULL, 4);

-- Seed 000, "Get certified".
INSERT INTO track_requirements (id, track, certification_id, count) VALUES
  ('select-sales-core', 'select', 'sales-core', 4),
  ('select-sales-pro', 'select', 'sales-pro', 1),
  ('select-sa-core', 'select', 'sa-core', 2),
  ('select-pse', 'select', 'pse', 1),
  ('open-sales-core', 'open', 'sales-core', 2),
  ('open-sa-core', 'open', 'sa-core', 1);

-- Seed 001: PSP needs Open/Select/Distribution compliance and 3 certified PSEs at all times.
INSERT INTO badges (id, name, requires_track_compliance) VALUES
  ('psp', 'Professional Services Partner (PSP)', 1),
  ('tsp', 'Training Services Partner', 1);

INSERT INTO badge_requirements (id, badge_id, certification_id, count) VALUES
  ('psp-pse', 'psp', 'pse', 3);

-- Seed 002, R7 table. Thresholds in cents; "over" means strictly greater.
INSERT INTO r7_thresholds (id, segment, requirement, metric, threshold) VALUES
  ('smb-command-plan-overview', 'smb', 'command_plan_overview', 'amount', 500000),
  ('smb-command-plan-full', 'smb', 'command_plan_full', 'iacv', 1000000),
  ('smb-pitch-deck', 'smb', 'pitch_deck', 'amount', 500000),
  ('mm-command-plan-overview', 'mid_market', 'command_plan_overview', 'amount', 1000000),
  ('mm-command-plan-full', 'mid_market', 'command_plan_full', 'iacv', 2000000),
  ('mm-pitch-deck', 'mid_market', 'pitch_deck', 'amount', 1000000);

-- Seed 000, the capabilities journey checklist.
INSERT INTO journey_capabilities (id, stage, area, label, sort_order) VALUES
  ('onb-portal', 'onboarding', 'Onboarding', 'Teams engaged with the Partner Portal and familiar with its content', 1),
  ('onb-deal-reg', 'onboarding', 'Onboarding', 'Can register deals, quote and transact, and accept leads', 2),
  ('onb-licensing', 'onboarding', 'Get sales ready', 'Understands licensing and the pricing model', 3),
  ('onb-support', 'onboarding', 'Get sales ready', 'Knows how to get Channel Partner support', 4),
  ('onb-qualify', 'onboarding', 'Get sales ready', 'Can qualify opportunities within the existing customer base', 5),
  ('onb-certified', 'onboarding', 'Get sales ready', 'Certified to the track requirements', 6),
  ('est-brand', 'established', 'Marketing foundation', 'Vendor incorporated into brand presence', 7),
  ('est-locator', 'established', 'Marketing foundation', 'Partner Profile for the Locator complete (capability overviews, solutions page)', 8),
  ('est-demo', 'established', 'Pre-sales discovery capable', 'Demo ready (SaaS based)', 9),
  ('est-discovery', 'established', 'Pre-sales discovery capable', 'DevSecOps value stream discovery lead generation', 10),
  ('est-psp', 'established', 'Prof. services delivery capable', 'Professional Services Partner (PSP) accreditation', 11),
  ('est-implementation', 'established', 'Prof. services delivery capable', 'Implementation solution', 12),
  ('est-migration', 'established', 'Prof. services delivery capable', 'Migration solution', 13),
  ('est-architect', 'established', 'Prof. services delivery capable', 'Architects the platform into customer DevSecOps workflows', 14),
  ('lead-collateral', 'leading', 'Marketing integration', 'Vendor collateral in partner sales, presales and education tools', 15),
  ('lead-webinars', 'leading', 'Marketing integration', 'Joint webinar lead generation', 16),
  ('lead-ultimate', 'leading', 'Pre-sales solutioning capable', 'Addresses advanced use cases with the top tier', 17),
  ('lead-self-hosted-demo', 'leading', 'Pre-sales solutioning capable', 'Demo on a partner-provisioned self-hosted instance', 18),
  ('lead-roi', 'leading', 'Pre-sales solutioning capable', 'Delivers an ROI report', 19),
  ('lead-pov', 'leading', 'Pre-sales solutioning capable', 'Delivers a Proof of Value', 20),
  ('lead-catalog', 'leading', 'Pre-sales solutioning capable', 'Competitive differentiation with its own services catalog', 21),
  ('lead-integration', 'leading', 'Advanced PS offerings', 'Deep integration with enterprise workflows', 22),
  ('lead-adv-migration', 'leading', 'Advanced PS offerings', 'Advanced migration solutions', 23),
  ('lead-managed', 'leading', 'Advanced PS offerings', 'Offers managed services', 24),
  ('str-branded', 'strategic', 'Strategic', 'Branded offerings in market built on the platform', 25),
  ('str-content', 'strategic', 'Strategic', 'Joint whitepapers, blog posts, reference architectures', 26),
  ('str-comarketing', 'strategic', 'Strategic', 'Co-marketing and branding campaigns', 27),
  ('str-consulting', 'strategic', 'Strategic', 'Consulting recommendations in customer transformation initiatives', 28),
  ('str-open-source', 'strategic', 'Strategic', 'Contributes to the open source core', 29),
  ('str-field-promotes', 'strategic', 'Strategic', 'Vendor field promotes the partner''s strategic services', 30);

-- Seed 004, channel sales enablement curriculum (core and advanced).
INSERT INTO curriculum_modules (id, level, section, title, kind, minutes, sort_order) VALUES
  ('mod-what-is-gitlab', 'core', 'Welcome to GitLab!', 'What is GitLab?', 'Material', 3, 1),
  ('mod-everyone-can-contribute', 'core', 'Welcome to GitLab!', 'Everyone Can Contribute', 'Material', 3, 2),
  ('mod-org-chart', 'core', 'Welcome to GitLab!', 'Org Chart', 'Material', 10, 3),
  ('mod-the-software-development-lifecycle', 'core', 'DevOps Technology Landscape', 'The Software Development Lifecycle', 'Material', 9, 4),
  ('mod-gitlab-sdlc-quiz', 'core', 'DevOps Technology Landscape', 'GitLab SDLC Quiz', 'Quiz', NULL, 5),
  ('mod-personas-pain-points', 'core', 'Our Customers', 'Personas & Pain Points', 'Material', 20, 6),
  ('mod-vp-of-app-dev', 'core', 'Our Customers', 'VP of App Dev', 'Material', 10, 7),
  ('mod-devops-director', 'core', 'Our Customers', 'DevOps Director', 'Material', 10, 8),
  ('mod-head-of-it', 'core', 'Our Customers', 'Head of IT', 'Material', 10, 9),
  ('mod-chief-architect', 'core', 'Our Customers', 'Chief Architect', 'Material', 10, 10),
  ('mod-gitlab-digital-transformation-cxo-discovery-guide', 'core', 'Our Customers', 'GitLab Digital Transformation CxO Discovery Guide', 'Material', 10, 11),
  ('mod-customer-success-stories-proof-points', 'core', 'Our Customers', 'Customer Success Stories & Proof Points', 'Material', 10, 12),
  ('mod-gitlab-value-framework', 'core', 'Our Portfolio', 'GitLab Value Framework', 'Material', 35, 13),
  ('mod-feature-comparison', 'core', 'Our Portfolio', 'Feature Comparison', 'Material', 10, 14),
  ('mod-why-sell-ultimate-gold', 'core', 'Our Portfolio', 'Why Sell Ultimate/Gold?', 'Material', 10, 15),
  ('mod-pricing', 'core', 'Our Portfolio', 'Pricing', 'Material', 10, 16),
  ('mod-gitlab-direction', 'core', 'Our Portfolio', 'GitLab Direction', 'Material', 10, 17),
  ('mod-product-maturity', 'core', 'Our Portfolio', 'Product Maturity', 'Material', 10, 18),
  ('mod-use-cases', 'core', 'Our Portfolio', 'Use Cases', 'Material', 10, 19),
  ('mod-competitor-overview', 'core', 'Competitive Advantages & Strategy', 'Competitor Overview', 'Material', 30, 20),
  ('mod-reseller-handbook', 'core', 'Channel Sales Support', 'Reseller Handbook', 'Material', 10, 21),
  ('mod-gitlab-reseller-webcasts', 'core', 'Channel Sales Support', 'Gitlab Reseller Webcasts', 'Material', NULL, 22),
  ('mod-gitlab-terms-conditions', 'core', 'Channel Sales Support', 'GitLab Terms & Conditions', 'Material', 10, 23),
  ('mod-auto-devops', 'advanced', 'Technical Deep Dive', 'Auto DevOps', 'Material', NULL, 24),
  ('mod-gitlab-api', 'advanced', 'Technical Deep Dive', 'GitLab API', 'Material', NULL, 25),
  ('mod-gitlab-for-agile', 'advanced', 'Technical Deep Dive', 'GitLab for Agile', 'Material', NULL, 26),
  ('mod-gitlab-runners', 'advanced', 'Technical Deep Dive', 'GitLab Runners', 'Material', NULL, 27),
  ('mod-gitlab-high-availability-ha-and-gitlab-geo', 'advanced', 'Technical Deep Dive', 'GitLab High Availability (HA) and GitLab GEO', 'Material', NULL, 28),
  ('mod-category-overview', 'advanced', 'Integrations', 'Category Overview', 'Material', NULL, 29),
  ('mod-jira', 'advanced', 'Integrations', 'Jira', 'Material', NULL, 30),
  ('mod-jenkins', 'advanced', 'Integrations', 'Jenkins', 'Material', NULL, 31),
  ('mod-github', 'advanced', 'Integrations', 'Github', 'Material', NULL, 32);
