from django.apps import AppConfig


class BenchDataConfig(AppConfig):
    name = "bench.benchdata"
    label = "benchdata"
    verbose_name = "Benchmark data"
