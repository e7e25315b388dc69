-- Must run outside a transaction on older servers; its own step.
ALTER TYPE message_type ADD VALUE IF NOT EXISTS 'voice';
