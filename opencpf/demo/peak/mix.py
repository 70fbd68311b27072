"""The busiest day's mix (`manage.py bench_peak`), per 100 requests, and where it comes from.

The real platform counts ~1 000 000 connections on its worst day and ~120 000 training files a month (~4 000 a
day, say three times that on the busiest day). A connection is a visit: one sign-in, then on average ~24 more
requests (the dashboard and My rights twice, some ten searches and eight offer pages, a look at My files):
- 40 searches (keywords, or a place and a radius) and 32 offer pages. A visitor opens offers from the results they
  were just shown: three offer pages in four are one of the first page of results of the bench's searches; the
  fourth is any offer, as when a visitor arrives from a link or a search engine (`--offers-from-results`, 0 to 1;
  that share is this bench's assumption, the platform publishes no such figure; 0 draws every offer page uniformly
  from 2 000 offers, which makes nearly every one a page to render);
- 8 dashboards and 8 My rights pages, 5 My files lists (API);
- 4 sign-ins (POST /api/v1/auth/token: password checked with argon2 and a remembered device token);
- 1 file registration and 2 file moves (the holder cancels a file it registered): ~12 000 files for 1 000 000
  visits would be 0.05 % of requests; writes are oversampled twenty-fold so that their p99 means something.
"""

# kind: (weight per 100 requests, signed in)
MIX = {
    "search": 40,
    "offer page": 32,
    "dashboard": 8,
    "my rights": 8,
    "my files (API)": 5,
    "sign-in": 4,
    "registration": 1,
    "file move": 2,
}
SEARCHES = [
    "/catalogue/?q=anglais",
    "/catalogue/?q=excel",
    "/catalogue/?q=comptabilit%C3%A9",
    "/catalogue/?q=management",
    "/catalogue/?q=permis",
    "/catalogue/?q=d%C3%A9veloppeur+web",
    "/catalogue/?q=soudure",
    "/catalogue/?postal_code=69001&radius_km=30",
    "/catalogue/?postal_code=75011&radius_km=10",
    "/catalogue/?q=anglais&postal_code=33000&radius_km=50",
]
