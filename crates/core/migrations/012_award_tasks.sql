-- Award tasks (schema 12, seed 003): when a partner first meets a badge's requirements its CAM
-- gets a task due within 7 calendar days; it is a next step naming the badge, and marking it
-- done grants the badge.
ALTER TABLE next_steps ADD COLUMN award_badge_id TEXT;
