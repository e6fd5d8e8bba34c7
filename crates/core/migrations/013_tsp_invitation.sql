-- A partner's invitation to become a Training Services Partner (schema 13, seed 003): an
-- invitee's business plan must carry its certification commitments ("slide 19").
ALTER TABLE partners ADD COLUMN tsp_invited_on TEXT;
