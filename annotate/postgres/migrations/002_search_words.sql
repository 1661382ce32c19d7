-- Search holds the folded words alone, and queries look for the forms of
-- a word with proclitics (annotate.Forms): the columns filled before,
-- which held stems as well, are emptied, and filled again as searches
-- need them.
UPDATE documents SET search = NULL WHERE search IS NOT NULL;
