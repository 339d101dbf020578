from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from places.models import CityBoundary, District, SubDistrict


@admin.register(District)
class DistrictAdmin(LeafletGeoAdmin):
    list_display = ["number", "name_ka", "name_en", "area_km2", "attribution"]
    readonly_fields = ["area_km2", "source", "attribution", "licence"]


@admin.register(CityBoundary)
class CityBoundaryAdmin(LeafletGeoAdmin):
    list_display = ["name_en", "area_km2"]
    readonly_fields = ["area_km2"]


@admin.register(SubDistrict)
class SubDistrictAdmin(LeafletGeoAdmin):
    list_display = ["number", "code", "district", "area_km2"]
    readonly_fields = ["area_km2"]
