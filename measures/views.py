def home(request): pass
def agreement_detail(request, slug): pass
def measure_detail(request, slug, key): pass
def organisation_list(request, slug): pass
def organisation_detail(request, slug, key): pass
