"""The busiest day's load (`manage.py bench_peak`): the mix of requests (`mix`) and the generator (`load`)."""
