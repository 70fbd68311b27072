"""A synthetic but realistic French training catalogue of any size, for the demo and the benchmarks.

Titles, certifications, prices and durations follow the real fields of the CPF catalogue (languages, digital,
transport and logistics, management and office work, care, building trades, hospitality, sales, beauty, driving
licences, skills assessments, VAE, business creation). Sessions take place in real communes, weighted by
population, or remotely. Rows are written with multi-row INSERTs (SQLite) or COPY (PostgreSQL) in batches.
"""

from opencpf.catalogue.generator.generation import generate

__all__ = [
    "generate",
]
